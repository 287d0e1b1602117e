// "Customer link not working?": paste a link (or id) -> POST /api/v1/troubleshoot -> cause callout.

import { h, icon, mount } from '../dom.js';
import { ICONS } from '../icons.js';
import { errorState, itemCard, skeletonRows } from './common.js';

export const CAUSE_TONES = {
  ok: 'green',
  password_required: 'yellow',
  permission_required: 'yellow',
  private: 'red',
  expired: 'red',
  revoked: 'red',
  wrong_password: 'red',
  download_limit: 'red',
  not_found: 'red',
};

let nextId = 0;

export function createTroubleshooter(ctx) {
  const { t } = ctx;
  const uid = `ts-${++nextId}`;
  let requestId = 0;

  const input = h('input', {
    id: `${uid}-input`,
    type: 'text',
    class: 'input',
    inputmode: 'url',
    autocomplete: 'off',
    spellcheck: 'false',
    'data-testid': 'troubleshoot-input',
    placeholder: t('troubleshoot.placeholder'),
    'aria-describedby': `${uid}-hint`,
  });
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn--primary', 'data-testid': 'troubleshoot-submit' },
    t('troubleshoot.submit'),
  );
  const output = h('div', { class: 'ts-output', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'ts-form', novalidate: true },
    h('label', { class: 'label', for: `${uid}-input` }, t('troubleshoot.label')),
    h('div', { class: 'input-row' }, input, submit),
    h('p', { class: 'hint', id: `${uid}-hint` }, t('troubleshoot.hint')),
  );
  const panel = h('div', { class: 'ts-panel', id: `${uid}-panel`, hidden: true }, form, output);
  const chevron = icon(ICONS.chevronDown, { size: 16, className: 'icon disclosure-chevron' });
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'disclosure',
      'data-testid': 'troubleshoot-toggle',
      'aria-expanded': 'false',
      'aria-controls': `${uid}-panel`,
    },
    icon(ICONS.tools, { size: 16, className: 'icon disclosure-icon' }),
    h('span', { class: 'disclosure-label' }, t('troubleshoot.toggle')),
    chevron,
  );
  const el = h('section', { class: 'troubleshoot', 'data-open': 'false' }, toggle, panel);

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    el.setAttribute('data-open', String(open));
    if (open) input.focus();
  }

  function renderResult(result) {
    const cause = result.cause || 'not_found';
    const tone = CAUSE_TONES[cause] || 'grey';
    const glyph = tone === 'green' ? ICONS.check : ICONS.alert;
    const causeTitle = t.has(`troubleshoot.cause.${cause}`) ? t(`troubleshoot.cause.${cause}`) : t('troubleshoot.cause.unknown');
    mount(
      output,
      h(
        'div',
        { class: 'ts-result', 'data-testid': 'troubleshoot-result', 'data-cause': cause, 'data-works': String(Boolean(result.works)) },
        h(
          'div',
          { class: `callout callout--${tone}` },
          icon(glyph, { size: 16, className: 'icon callout-icon' }),
          h(
            'div',
            { class: 'callout-body' },
            h('p', { class: 'callout-title' }, causeTitle),
            result.reason ? h('p', { class: 'callout-text' }, result.reason) : null,
            result.advice
              ? h('p', { class: 'callout-advice' }, h('strong', null, t('troubleshoot.advice')), ' ', result.advice)
              : null,
          ),
        ),
        result.item
          ? itemCard(ctx, result.item, { variant: 'row', testId: 'troubleshoot-item', onOpen: (item, opener) => ctx.nav.open(item, opener) })
          : null,
      ),
    );
  }

  async function check() {
    const value = input.value.trim();
    if (!value) {
      mount(output, h('p', { class: 'field-error', role: 'alert' }, t('troubleshoot.empty')));
      input.focus();
      return;
    }
    const id = ++requestId;
    submit.disabled = true;
    mount(output, h('div', { class: 'loading', 'aria-busy': 'true' }, h('span', { class: 'sr-only' }, t('state.checking')), skeletonRows(1)));
    try {
      const result = await ctx.api.troubleshoot(value);
      if (id === requestId) renderResult(result || {});
    } catch (error) {
      if (id === requestId) mount(output, errorState(ctx, error, check));
    } finally {
      if (id === requestId) submit.disabled = false;
    }
  }

  toggle.addEventListener('click', () => setOpen(panel.hidden));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    check();
  });

  /** Open with `value` in the box and check it (the broken-link banner's "Troubleshoot"). */
  function inspect(value) {
    input.value = String(value ?? '');
    setOpen(true);
    return check();
  }

  return { el, open: () => setOpen(true), check, inspect };
}
