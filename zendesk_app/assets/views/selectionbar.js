// The selection slot above the browse views: a one-line hint while nothing is selected, then the
// sticky selection bar ("N selected", Clear, Attach, Share). Both have the same height, so ticking
// the first image never moves the grid under the pointer.

import { h, icon, mount } from '../dom.js';
import { ICONS } from '../icons.js';

export function createSelectionBar(ctx, { onAttach, onShare }) {
  const { t, selection } = ctx;
  const count = h('span', { class: 'selection-count', 'data-testid': 'selection-count' });
  const notice = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const limit = h('p', { class: 'selection-limit', role: 'alert', 'data-testid': 'selection-limit', hidden: true });
  let limitTimer = null;

  const clear = h(
    'button',
    { type: 'button', class: 'btn btn--link selection-clear', 'data-testid': 'clear-selection' },
    t('selection.clear'),
  );
  const attach = h(
    'button',
    { type: 'button', class: 'btn btn--primary btn--small', 'data-testid': 'attach-button' },
    icon(ICONS.paperclip, { size: 14 }),
    t('selection.attach'),
  );
  const share = h(
    'button',
    { type: 'button', class: 'btn btn--small btn--solid-white', 'data-testid': 'share-button' },
    icon(ICONS.link, { size: 14 }),
    t('selection.share'),
  );
  const bar = h(
    'div',
    { class: 'selection-bar', 'data-testid': 'selection-bar', role: 'region', 'aria-label': t('selection.region') },
    h('div', { class: 'selection-summary' }, count, clear),
    h('div', { class: 'selection-actions' }, attach, share),
  );
  const hint = h(
    'p',
    { class: 'selection-hint', 'data-testid': 'selection-hint' },
    icon(ICONS.checkbox, { size: 16, className: 'icon selection-hint-icon' }),
    t('selection.hint'),
  );
  const el = h('div', { class: 'selection-slot', 'data-state': 'empty' }, hint, limit, notice);

  function render() {
    const n = selection.size();
    el.setAttribute('data-state', n ? 'active' : 'empty');
    if (n) {
      count.textContent = t('selection.count', { count: n });
      if (bar.parentNode !== el) {
        const hadFocus = hint.contains(document.activeElement);
        el.replaceChild(bar, hint);
        if (hadFocus) attach.focus();
      }
    } else if (hint.parentNode !== el) {
      const hadFocus = bar.contains(document.activeElement);
      el.replaceChild(hint, bar);
      if (hadFocus && ctx.focusBrowse) ctx.focusBrowse();
    }
  }

  function showLimit() {
    limit.textContent = t('selection.limit', { count: selection.max });
    limit.hidden = false;
    clearTimeout(limitTimer);
    limitTimer = setTimeout(() => {
      limit.hidden = true;
    }, 4000);
  }

  selection.subscribe((change) => {
    if (change.type === 'limit') {
      showLimit();
      return;
    }
    render();
    notice.textContent = change.type === 'clear' ? t('selection.cleared') : t('selection.count', { count: selection.size() });
    if (selection.size() < selection.max) limit.hidden = true;
  });
  clear.addEventListener('click', () => selection.clear());
  attach.addEventListener('click', (event) => onAttach(event.currentTarget));
  share.addEventListener('click', (event) => onShare(event.currentTarget));
  mount(el, hint, limit, notice);
  render();

  return { el, render };
}
