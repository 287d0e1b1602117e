// The confirmation panel for Attach and Share (pushed on the view stack like a detail view):
// form -> progress -> success | failure (Retry / Edit). See delivery.js for the Idempotency-Key rules.

import { daysUntil } from '../badges.js';
import {
  ATTACHMENT_LIMIT_BYTES,
  MAX_DOWNLOADS,
  MAX_NOTE,
  MAX_RECIPIENTS,
  SHARE_DAYS,
  attachBody,
  deliveryErrorText,
  failAttempt,
  nextRequest,
  overAttachmentLimit,
  shareBody,
  startAttempt,
} from '../delivery.js';
import { h, icon, mount } from '../dom.js';
import { isApproved } from '../filters.js';
import { formatBytes, formatDate } from '../format.js';
import { ICONS } from '../icons.js';
import { collectRecipients, recipientChoices } from '../recipients.js';
import { fileNameLabel, linkField, skeletonRows, thumbnail } from './common.js';

let nextId = 0;
const DAY_MS = 24 * 60 * 60 * 1000;

function radioGroup({ uid, name, testId, legend, options, value }) {
  const inputs = [];
  const el = h(
    'fieldset',
    { class: 'field choice-group', 'data-testid': testId, 'data-value': value },
    h('legend', { class: 'label' }, legend),
    h(
      'div',
      { class: 'choices' },
      options.map((option) => {
        const id = `${uid}-${name}-${option.value}`;
        const input = h('input', {
          type: 'radio',
          class: 'choice-input',
          id,
          name: `${uid}-${name}`,
          value: option.value,
          checked: option.value === value,
          'aria-describedby': option.hint ? `${id}-hint` : null,
        });
        inputs.push(input);
        return h(
          'label',
          { class: 'choice', for: id },
          input,
          h(
            'span',
            { class: 'choice-body' },
            h('span', { class: 'choice-title' }, option.icon ? icon(option.icon, { size: 14 }) : null, option.label),
            option.hint ? h('span', { class: 'choice-hint', id: `${id}-hint` }, option.hint) : null,
          ),
        );
      }),
    ),
  );
  const current = () => (inputs.find((i) => i.checked) || inputs[0]).value;
  el.addEventListener('change', () => el.setAttribute('data-value', current()));
  return { el, value: current, focus: () => (inputs.find((i) => i.checked) || inputs[0]).focus() };
}

/** The backend's attachment limit (from /context), else its documented default. */
function attachmentLimit(ctx) {
  const limits = ctx.ticket && ctx.ticket.state && ctx.ticket.state.limits;
  const value = limits && Number(limits.attachment_limit_bytes);
  return value > 0 ? value : ATTACHMENT_LIMIT_BYTES;
}

/** "7 MB": the limit in the binary megabytes Zendesk quotes. */
function limitText(t, limit) {
  return t('format.megabytes', { value: Math.round((limit / (1024 * 1024)) * 10) / 10 });
}

function fieldError(id) {
  return h('p', { class: 'field-error field-error--inline', id, role: 'alert', hidden: true });
}

function setError(errorEl, input, text) {
  if (text) {
    errorEl.textContent = text;
    errorEl.hidden = false;
    if (input) input.setAttribute('aria-invalid', 'true');
  } else {
    errorEl.textContent = '';
    errorEl.hidden = true;
    if (input) input.removeAttribute('aria-invalid');
  }
}

/**
 * mode: 'attach' | 'share'. items: media (a selection); gallery: {id, name?} (share a gallery);
 * prefill: {recipients, replaces: {url, cause}} (re-share of a broken link).
 * onFinished({delivery, viewDelivered}) runs when the agent leaves a successful panel.
 */
export function createDeliveryView(ctx, { mode, items = [], gallery = null, prefill = null, onFinished = null }) {
  const { t } = ctx;
  const uid = `dlv-${++nextId}`;
  const isShare = mode === 'share';
  let files = items.slice();
  let galleryInfo = gallery ? { ...gallery } : null;
  let attempt = null;
  let busy = false;
  let finished = null;
  let retryTimer = null;

  const heading = h('h2', { class: 'panel-title', id: `${uid}-title`, tabindex: '-1' }, t(isShare ? 'deliver.share_title' : 'deliver.attach_title'));
  const subtitle = h('p', { class: 'panel-subtitle' });
  const stage = h('div', { class: 'panel-stage' });
  const el = h(
    'section',
    { class: 'view view--panel', 'data-testid': 'delivery-panel', 'data-mode': isShare ? 'share' : 'attach', 'aria-labelledby': `${uid}-title` },
    h(
      'header',
      { class: 'panel-head' },
      h('span', { class: 'panel-icon' }, icon(isShare ? ICONS.link : ICONS.paperclip, { size: 16 })),
      h('div', { class: 'panel-heading' }, heading, subtitle),
      h(
        'button',
        { type: 'button', class: 'icon-btn', 'aria-label': t('action.cancel'), title: t('action.cancel'), on: { click: () => cancel() } },
        icon(ICONS.close, { size: 16 }),
      ),
    ),
    stage,
  );

  // Escape closes the panel (the app's handler), except while a request is running.
  el.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    if (busy) event.preventDefault();
    else if (finished) {
      // Leaving a finished panel is "Done" (the selection it delivered is cleared).
      event.preventDefault();
      leave(false);
    }
  });

  // ------------------------------------------------------------------ form fields

  const whatSection = h('section', { class: 'panel-section', 'aria-label': t('deliver.what') });

  const note = h('textarea', {
    id: `${uid}-note`,
    class: 'input textarea',
    rows: '3',
    maxlength: String(MAX_NOTE),
    'data-testid': 'note-input',
    placeholder: t(isShare ? 'deliver.note_placeholder_share' : 'deliver.note_placeholder_attach'),
  });
  const noteCount = h('span', { class: 'hint hint--count', 'aria-live': 'off' });
  const updateNoteCount = () => {
    const left = MAX_NOTE - note.value.length;
    noteCount.textContent = left < 200 ? t('deliver.note_left', { count: left }) : '';
  };
  note.addEventListener('input', updateNoteCount);
  const noteField = h(
    'div',
    { class: 'field' },
    h('label', { class: 'label', for: `${uid}-note` }, t('deliver.note_label'), h('span', { class: 'label-optional' }, t('deliver.optional'))),
    note,
    noteCount,
  );

  // attach
  const commentType = radioGroup({
    uid,
    name: 'comment',
    testId: 'comment-type',
    legend: t('deliver.comment_type'),
    value: 'note',
    options: [
      { value: 'note', label: t('deliver.internal_note'), hint: t('deliver.internal_note_hint'), icon: ICONS.note },
      { value: 'public', label: t('deliver.public_reply'), hint: t('deliver.public_reply_hint'), icon: ICONS.reply },
    ],
  });

  // share: recipients
  // share: recipients (the requester ticked, CCs offered; re-rendered once /context answers)
  let choiceInputs = [];
  const recipientInput = h('input', {
    id: `${uid}-recipients`,
    type: 'text',
    class: 'input',
    inputmode: 'email',
    autocomplete: 'off',
    spellcheck: 'false',
    'data-testid': 'recipient-input',
    placeholder: t('deliver.recipients_placeholder'),
    'aria-describedby': `${uid}-recipients-hint ${uid}-recipients-error`,
  });
  const recipientsError = fieldError(`${uid}-recipients-error`);
  const choiceBox = h('div', { class: 'recipient-choices' });

  function recipientRow(choice, index) {
    const id = `${uid}-rcpt-${index}`;
    const input = h('input', {
      type: 'checkbox',
      id,
      class: 'check-input',
      value: choice.email,
      checked: choice.checked,
      'data-testid': 'recipient-option',
      'data-role': choice.role,
    });
    choiceInputs.push(input);
    return h(
      'label',
      { class: 'recipient', for: id },
      h('span', { class: 'check' }, input, h('span', { class: 'check-box', 'aria-hidden': 'true' }, icon(ICONS.tick, { size: 12, className: 'icon check-tick' }))),
      h(
        'span',
        { class: 'recipient-body' },
        h('span', { class: 'recipient-name' }, choice.name || choice.email),
        choice.name ? h('span', { class: 'recipient-email', title: choice.email }, choice.email) : null,
      ),
      choice.role !== 'other' ? h('span', { class: 'recipient-role' }, t(`deliver.role_${choice.role}`)) : null,
    );
  }

  function renderRecipients() {
    const state = ctx.ticket.state;
    if (state.status === 'loading' && !state.requester) {
      choiceInputs = [];
      mount(choiceBox, h('div', { class: 'skeleton skeleton--line', 'data-testid': 'skeleton', 'aria-hidden': 'true' }, h('span', { class: 'shimmer shimmer--line' })));
      return;
    }
    const previous = new Map(choiceInputs.map((input) => [input.value.toLowerCase(), input.checked]));
    const choices = recipientChoices(state.requester, state.ccs, {
      extra: prefill && Array.isArray(prefill.recipients) ? prefill.recipients : [],
    }).map((choice) => (previous.has(choice.email.toLowerCase()) ? { ...choice, checked: previous.get(choice.email.toLowerCase()) } : choice));
    choiceInputs = [];
    mount(
      choiceBox,
      choices.length
        ? h('div', { class: 'recipient-list' }, choices.map(recipientRow))
        : h('p', { class: 'hint hint--block', 'data-testid': 'no-requester' }, t('deliver.no_requester')),
    );
  }

  const recipients = h(
    'fieldset',
    { class: 'field', 'data-testid': 'recipients' },
    h('legend', { class: 'label' }, t('deliver.recipients')),
    choiceBox,
    h('label', { class: 'sr-only', for: `${uid}-recipients` }, t('deliver.recipients_add')),
    recipientInput,
    h('p', { class: 'hint', id: `${uid}-recipients-hint` }, t('deliver.recipients_hint')),
    recipientsError,
  );

  // share: expiry, downloads
  const expiry = h('input', {
    id: `${uid}-expiry`,
    type: 'number',
    class: 'input input--number',
    min: String(SHARE_DAYS.min),
    max: String(SHARE_DAYS.max),
    step: '1',
    inputmode: 'numeric',
    value: String(ctx.settings.defaultShareDays),
    'data-testid': 'expiry-input',
    'aria-describedby': `${uid}-expiry-hint ${uid}-expiry-error`,
  });
  const expiryHint = h('p', { class: 'hint', id: `${uid}-expiry-hint` });
  const expiryError = fieldError(`${uid}-expiry-error`);
  const updateExpiryHint = () => {
    const days = Number(expiry.value);
    expiryHint.textContent =
      Number.isInteger(days) && days >= SHARE_DAYS.min && days <= SHARE_DAYS.max
        ? t('deliver.expiry_until', { date: formatDate(new Date(ctx.now() + days * DAY_MS).toISOString(), t.locale) })
        : '';
  };
  expiry.addEventListener('input', updateExpiryHint);

  const allowDownload = h('input', {
    type: 'checkbox',
    role: 'switch',
    class: 'toggle-input',
    id: `${uid}-download`,
    checked: true,
    'data-testid': 'allow-download',
  });
  const maxDownloads = h('input', {
    id: `${uid}-max`,
    type: 'number',
    class: 'input input--number',
    min: String(MAX_DOWNLOADS.min),
    max: String(MAX_DOWNLOADS.max),
    step: '1',
    inputmode: 'numeric',
    placeholder: t('deliver.no_limit'),
    'data-testid': 'max-downloads',
    'aria-describedby': `${uid}-max-error`,
  });
  const maxError = fieldError(`${uid}-max-error`);
  allowDownload.addEventListener('change', () => {
    maxDownloads.disabled = !allowDownload.checked;
    if (!allowDownload.checked) setError(maxError, maxDownloads, null);
  });

  const postAs = radioGroup({
    uid,
    name: 'post',
    testId: 'post-as',
    legend: t('deliver.post_as'),
    value: 'note',
    options: [
      { value: 'note', label: t('deliver.post_note'), hint: t('deliver.post_note_hint'), icon: ICONS.note },
      { value: 'reply', label: t('deliver.post_reply'), hint: t('deliver.post_reply_hint'), icon: ICONS.reply },
    ],
  });

  const confirm = h('button', { type: 'submit', class: 'btn btn--primary', 'data-testid': 'confirm-delivery' });
  const cancelButton = h(
    'button',
    { type: 'button', class: 'btn btn--basic', 'data-testid': 'cancel-delivery', on: { click: () => cancel() } },
    t('action.cancel'),
  );

  const replaces =
    prefill && prefill.replaces
      ? h(
          'div',
          { class: 'callout callout--blue callout--compact', 'data-testid': 'reshare-context' },
          icon(ICONS.refresh, { size: 16, className: 'icon callout-icon' }),
          h('p', { class: 'callout-text' }, t('deliver.replaces')),
        )
      : null;
  const warning = h('div', { class: 'panel-warning' });

  const form = h(
    'form',
    { class: 'panel-form', novalidate: true },
    replaces,
    whatSection,
    warning,
    isShare
      ? [
          recipients,
          h(
            'div',
            { class: 'field-row' },
            h(
              'div',
              { class: 'field' },
              h('label', { class: 'label', for: `${uid}-expiry` }, t('deliver.expiry')),
              h('div', { class: 'input-suffix' }, expiry, h('span', { class: 'suffix', 'aria-hidden': 'true' }, t('deliver.days'))),
              expiryHint,
              expiryError,
            ),
            h(
              'div',
              { class: 'field' },
              h('label', { class: 'label', for: `${uid}-max` }, t('deliver.max_downloads')),
              maxDownloads,
              maxError,
            ),
          ),
          h(
            'label',
            { class: 'toggle toggle--field', for: `${uid}-download` },
            allowDownload,
            h('span', { class: 'toggle-track', 'aria-hidden': 'true' }),
            h('span', { class: 'toggle-label' }, t('deliver.allow_download')),
          ),
          postAs.el,
        ]
      : commentType.el,
    noteField,
    h('div', { class: 'panel-actions' }, confirm, cancelButton),
  );

  // ------------------------------------------------------------------ "what" section

  function totalBytes() {
    return files.reduce((sum, f) => sum + (typeof f.file_size === 'number' ? f.file_size : 0), 0);
  }

  function removeFile(id) {
    files = files.filter((f) => f.id !== id);
    if (!galleryInfo && ctx.selection && ctx.selection.has(id)) ctx.selection.remove(id);
    if (!files.length && !galleryInfo) {
      cancel();
      return;
    }
    renderWhat();
    const next = whatSection.querySelector('[data-testid="remove-file"]');
    (next || heading).focus();
  }

  function fileRow(item) {
    const name = item.file_name || item.id;
    const big = !isShare && overAttachmentLimit(item, attachmentLimit(ctx));
    const size = formatBytes(item.file_size, t, t.locale);
    return h(
      'li',
      { class: 'file-row', 'data-testid': 'delivery-file', 'data-id': item.id, 'data-over-limit': String(big) },
      thumbnail(item.thumbnail_url, 'media', { className: 'file-thumb' }),
      h(
        'span',
        { class: 'file-body' },
        fileNameLabel(name, { className: 'file-name' }),
        h(
          'span',
          { class: 'file-meta' },
          size || null,
          big ? h('span', { class: 'file-flag', 'data-testid': 'over-limit' }, icon(ICONS.link, { size: 12 }), t('deliver.over_limit', { limit: limitText(t, attachmentLimit(ctx)) })) : null,
        ),
      ),
      files.length > 1 && !busy
        ? h(
            'button',
            {
              type: 'button',
              class: 'icon-btn icon-btn--small',
              'data-testid': 'remove-file',
              'aria-label': t('deliver.remove_file', { name }),
              title: t('deliver.remove_file', { name }),
              on: { click: () => removeFile(item.id) },
            },
            icon(ICONS.close, { size: 14 }),
          )
        : null,
    );
  }

  function renderWhat() {
    if (galleryInfo) {
      const count = typeof galleryInfo.count === 'number' ? t('deliver.gallery_count', { count: galleryInfo.count }) : null;
      subtitle.textContent = t('deliver.subtitle_gallery');
      mount(
        whatSection,
        h(
          'div',
          { class: 'gallery-target', 'data-testid': 'share-target', 'data-kind': 'gallery', 'data-id': galleryInfo.id },
          thumbnail(galleryInfo.thumbnail_url, 'gallery', { className: 'row-thumb' }),
          h(
            'span',
            { class: 'card-body' },
            h('span', { class: 'card-title' }, galleryInfo.name || galleryInfo.id),
            h('span', { class: 'card-meta' }, count ? [t('kind.gallery'), t('delivered.separator'), count] : t('kind.gallery')),
          ),
        ),
      );
      mount(warning);
      confirm.replaceChildren(icon(ICONS.link, { size: 14 }), t('deliver.confirm_share'));
      return;
    }
    const bytes = totalBytes();
    subtitle.textContent = bytes
      ? t('deliver.subtitle_files_size', { count: files.length, size: formatBytes(bytes, t, t.locale) })
      : t('deliver.subtitle_files', { count: files.length });
    const over = isShare ? 0 : files.filter((f) => overAttachmentLimit(f, attachmentLimit(ctx))).length;
    mount(
      whatSection,
      h('ul', { class: 'file-list', 'aria-label': t('deliver.files') }, files.map(fileRow)),
      over
        ? h('p', { class: 'hint hint--warning', 'data-testid': 'over-limit-hint' }, t('deliver.over_limit_hint', { count: over, limit: limitText(t, attachmentLimit(ctx)) }))
        : null,
    );
    const unapproved = files.filter((f) => f.access && !isApproved(f)).length;
    mount(
      warning,
      unapproved
        ? h(
            'div',
            { class: 'callout callout--yellow callout--compact', 'data-testid': 'unapproved-warning' },
            icon(ICONS.alert, { size: 16, className: 'icon callout-icon' }),
            h('p', { class: 'callout-text' }, t('deliver.unapproved', { count: unapproved })),
          )
        : null,
    );
    confirm.replaceChildren(
      icon(isShare ? ICONS.link : ICONS.paperclip, { size: 14 }),
      isShare ? t('deliver.confirm_share') : t('deliver.confirm_attach', { count: files.length }),
    );
  }

  async function loadGalleryInfo() {
    if (!galleryInfo || (galleryInfo.name && typeof galleryInfo.count === 'number')) return;
    try {
      const detail = await ctx.galleries.resolve(galleryInfo.id);
      if (detail) {
        const media = detail.media && detail.media.paging ? detail.media.paging.total : null;
        galleryInfo = {
          ...galleryInfo,
          name: galleryInfo.name || detail.name,
          thumbnail_url:
            galleryInfo.thumbnail_url ||
            detail.thumbnail_url ||
            (detail.media && detail.media.items && detail.media.items[0] ? detail.media.items[0].thumbnail_url : null),
          count: typeof galleryInfo.count === 'number' ? galleryInfo.count : media,
        };
        if (finished === null && !busy && form.isConnected) renderWhat();
      }
    } catch {
      // the id stays as the name
    }
  }

  async function loadMissingFiles() {
    const missing = files.filter((f) => !f.file_name);
    if (!missing.length) return;
    const found = await Promise.all(missing.map((f) => ctx.media.resolve(f.id)));
    files = files.map((f) => {
      const hit = found.find((x) => x && x.id === f.id);
      return hit ? { ...hit, ...f, file_name: hit.file_name, file_size: hit.file_size, thumbnail_url: hit.thumbnail_url, access: hit.access } : f;
    });
    if (finished === null && !busy && form.isConnected) renderWhat();
  }

  // ------------------------------------------------------------------ validation + bodies

  function validate() {
    let first = null;
    const flag = (input) => {
      if (!first) first = input;
    };
    if (!isShare) return { ok: true };
    const checked = choiceInputs.filter((i) => i.checked).map((i) => i.value);
    const collected = collectRecipients(checked, recipientInput.value, MAX_RECIPIENTS);
    if (collected.invalid.length) {
      setError(recipientsError, recipientInput, t('deliver.recipients_invalid', { list: collected.invalid.join(', ') }));
      flag(recipientInput);
    } else if (collected.tooMany) {
      setError(recipientsError, recipientInput, t('deliver.recipients_too_many', { count: MAX_RECIPIENTS }));
      flag(recipientInput);
    } else {
      setError(recipientsError, recipientInput, null);
    }
    const days = Number(expiry.value);
    if (!expiry.value.trim() || !Number.isInteger(days) || days < SHARE_DAYS.min || days > SHARE_DAYS.max) {
      setError(expiryError, expiry, t('deliver.expiry_invalid', { min: SHARE_DAYS.min, max: SHARE_DAYS.max }));
      flag(expiry);
    } else {
      setError(expiryError, expiry, null);
    }
    const max = maxDownloads.value.trim();
    const maxNumber = Number(max);
    if (allowDownload.checked && max && (!Number.isInteger(maxNumber) || maxNumber < MAX_DOWNLOADS.min || maxNumber > MAX_DOWNLOADS.max)) {
      setError(maxError, maxDownloads, t('deliver.max_invalid', { min: MAX_DOWNLOADS.min, max: MAX_DOWNLOADS.max }));
      flag(maxDownloads);
    } else {
      setError(maxError, maxDownloads, null);
    }
    if (first) {
      first.focus();
      return { ok: false };
    }
    return { ok: true, recipients: collected.recipients };
  }

  function buildBody(valid) {
    if (!isShare) {
      return attachBody({ mediaIds: files.map((f) => f.id), isPublic: commentType.value() === 'public', note: note.value });
    }
    return shareBody({
      galleryId: galleryInfo ? galleryInfo.id : null,
      mediaIds: galleryInfo ? [] : files.map((f) => f.id),
      recipients: valid.recipients,
      expiresInDays: expiry.value,
      allowDownload: allowDownload.checked,
      maxDownloads: maxDownloads.value,
      note: note.value,
      postAs: postAs.value(),
    });
  }

  // ------------------------------------------------------------------ stages

  function setStage(name, ...children) {
    el.setAttribute('data-stage', name);
    mount(stage, ...children);
  }

  function showForm({ focus = true } = {}) {
    busy = false;
    renderWhat();
    setStage('form', form);
    if (focus) heading.focus();
  }

  function progressText(request) {
    if (request.type === 'retry') return t('deliver.progress_retry');
    if (!isShare) return t('deliver.progress_attach', { count: files.length });
    return t('deliver.progress_share');
  }

  function showProgress(request) {
    const text = progressText(request);
    const box = h(
      'div',
      { class: 'progress', 'data-testid': 'delivery-progress', role: 'status', 'aria-live': 'polite', tabindex: '-1' },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('div', { class: 'progress-body' }, h('p', { class: 'progress-title' }, text), h('p', { class: 'progress-hint' }, t('deliver.progress_hint'))),
      h('span', { class: 'progress-bar', 'aria-hidden': 'true' }, h('span', { class: 'progress-bar-fill' })),
    );
    setStage('progress', box);
    box.focus();
  }

  async function insertIntoReply(html, status, button) {
    if (button) button.disabled = true;
    try {
      await ctx.client.invoke('ticket.comment.appendHtml', html);
      status.textContent = t('deliver.inserted');
      status.className = 'action-status action-status--ok';
      if (button) button.hidden = true;
      return true;
    } catch {
      status.textContent = t('deliver.insert_failed');
      status.className = 'action-status action-status--error';
      if (button) {
        button.hidden = false;
        button.disabled = false;
      }
      return false;
    }
  }

  function successShare(delivery) {
    const share = (delivery.shares || [])[0] || {};
    const link = delivery.link || share.link;
    const days = daysUntil(share.expires_at, ctx.now());
    const reply = (attempt && attempt.body && attempt.body.post_as === 'reply') || delivery.public === true;
    const status = h('p', { class: 'action-status', role: 'status' });
    const insertAgain = h(
      'button',
      { type: 'button', class: 'btn btn--small', 'data-testid': 'insert-reply', hidden: true },
      icon(ICONS.reply, { size: 14 }),
      t('deliver.insert_again'),
    );
    if (reply && delivery.html) {
      insertAgain.addEventListener('click', () => insertIntoReply(delivery.html, status, insertAgain));
      if (!attempt || !attempt.inserted) {
        if (attempt) attempt.inserted = true;
        insertIntoReply(delivery.html, status, insertAgain);
      }
    } else if (reply) {
      status.textContent = t('deliver.reply_no_html');
    } else {
      status.textContent = t('deliver.posted_note');
      status.className = 'action-status action-status--ok';
    }
    const facts = [
      share.expires_at
        ? h('li', null, icon(ICONS.clock, { size: 14 }), t('deliver.works_until', { date: formatDate(share.expires_at, t.locale), count: days ?? 0 }))
        : null,
      h(
        'li',
        null,
        icon(ICONS.download, { size: 14 }),
        share.allow_download === false
          ? t('deliver.view_only')
          : share.max_downloads
            ? t('deliver.max_downloads_fact', { count: share.max_downloads })
            : t('deliver.unlimited_downloads'),
      ),
      delivery.recipients && delivery.recipients.length
        ? h('li', null, icon(ICONS.mail, { size: 14 }), t('deliver.for_recipients', { list: delivery.recipients.join(', ') }))
        : null,
    ];
    return [
      h('p', { class: 'success-title', tabindex: '-1' }, t('deliver.share_done')),
      delivery.title ? h('p', { class: 'success-subtitle' }, delivery.title) : null,
      link ? linkField(ctx, link) : null,
      h('ul', { class: 'facts-list' }, facts),
      h('div', { class: 'actions' }, status, insertAgain),
    ];
  }

  function successAttach(delivery) {
    const count = (delivery.media_ids || []).length || files.length;
    const share = (delivery.shares || [])[0];
    return [
      h('p', { class: 'success-title', tabindex: '-1' }, t('deliver.attach_done', { count })),
      h('p', { class: 'success-hint', 'data-testid': 'delivery-hint' }, t(delivery.public ? 'deliver.added_public' : 'deliver.added_note')),
      delivery.fallback_to_link
        ? h(
            'div',
            { class: 'fallback' },
            h('p', { class: 'hint hint--warning' }, t('deliver.fallback_link')),
            share && share.link ? linkField(ctx, share.link) : null,
          )
        : null,
    ];
  }

  function showSuccess(delivery) {
    busy = false;
    finished = delivery;
    ctx.ticket.upsert(delivery);
    if (prefill && prefill.replaces && ctx.nav.resolveBrokenLink) ctx.nav.resolveBrokenLink(prefill.replaces.url);
    const done = h(
      'button',
      { type: 'button', class: 'btn btn--primary', 'data-testid': 'delivery-done', on: { click: () => leave(false) } },
      t('action.done'),
    );
    const view = h(
      'button',
      { type: 'button', class: 'btn btn--basic', 'data-testid': 'view-delivered', on: { click: () => leave(true) } },
      t('deliver.view_delivered'),
    );
    const box = h(
      'div',
      { class: 'success', 'data-testid': 'delivery-success', 'data-kind': delivery.kind || (isShare ? 'share' : 'attachment'), 'data-id': delivery.id || '' },
      h(
        'div',
        { class: 'callout callout--green' },
        icon(ICONS.check, { size: 16, className: 'icon callout-icon' }),
        h('div', { class: 'callout-body callout-body--wide' }, isShare ? successShare(delivery) : successAttach(delivery)),
      ),
      h('div', { class: 'panel-actions' }, done, view),
    );
    setStage('success', box);
    (box.querySelector('.success-title') || done).focus();
    // The tab count already moved; the live statuses follow.
    ctx.ticket.refreshDeliveries({ quiet: false });
  }

  function showFailure(error, request) {
    busy = false;
    const text = deliveryErrorText(t, error, { kind: isShare ? 'share' : 'attach' });
    const canRetry = text.retry === 'resend' || text.retry === 'new_key' || text.retry === 'retry_delivery';
    const retry = canRetry
      ? h(
          'button',
          { type: 'button', class: 'btn btn--primary', 'data-testid': 'delivery-retry', on: { click: () => run() } },
          icon(ICONS.refresh, { size: 14 }),
          t('action.retry'),
        )
      : null;
    const edit = h(
      'button',
      { type: 'button', class: 'btn', 'data-testid': 'delivery-edit', on: { click: () => showForm() } },
      t('deliver.edit'),
    );
    const hint = text.hint ? h('p', { class: 'callout-hint', 'data-testid': 'error-hint' }, text.hint) : null;
    const box = h(
      'div',
      {
        class: 'failure',
        'data-testid': 'delivery-failure',
        'data-status': String(error && error.status ? error.status : 0),
        'data-code': (error && error.code) || 'error',
        'data-retry': text.retry,
        'data-request': request.type,
      },
      h(
        'div',
        { class: 'callout callout--red', role: 'alert' },
        icon(ICONS.alert, { size: 16, className: 'icon callout-icon' }),
        h(
          'div',
          { class: 'callout-body' },
          h('p', { class: 'callout-title', tabindex: '-1' }, text.title),
          h('p', { class: 'callout-text', 'data-testid': 'delivery-error-message' }, text.message),
          hint,
        ),
      ),
      h('div', { class: 'panel-actions' }, retry, edit, h('button', { type: 'button', class: 'btn btn--basic', on: { click: () => cancel() } }, t('action.cancel'))),
    );
    setStage('failure', box);
    // A recorded failure is a row of the Delivered tab (with its own Retry): show it there too.
    if (text.retry === 'retry_delivery') ctx.ticket.refreshDeliveries({ quiet: false });
    // A 429 says how long to wait: Retry unlocks when the time is up.
    clearInterval(retryTimer);
    if (retry && error && error.status === 429 && typeof error.retryAfter === 'number' && error.retryAfter > 0) {
      let left = error.retryAfter;
      retry.disabled = true;
      retryTimer = setInterval(() => {
        left -= 1;
        if (!retry.isConnected || left <= 0) {
          clearInterval(retryTimer);
          retry.disabled = false;
          if (hint) hint.remove();
          if (retry.isConnected) retry.focus();
        } else if (hint) {
          hint.textContent = t('error.retry_after', { count: left });
        }
      }, 1000);
    }
    (box.querySelector('.callout-title') || edit).focus();
  }

  // ------------------------------------------------------------------ running

  async function send(request) {
    if (request.type === 'retry') return ctx.api.retryDelivery(request.deliveryId);
    if (request.type === 'attach') return ctx.api.attach(request.body, { idempotencyKey: request.key });
    return ctx.api.share(request.body, { idempotencyKey: request.key });
  }

  async function run() {
    if (busy || !attempt) return;
    busy = true;
    const request = nextRequest(attempt);
    showProgress(request);
    try {
      const delivery = await send(request);
      attempt = { ...attempt, outcome: 'done' };
      showSuccess(delivery || {});
    } catch (error) {
      // A retry that conflicts may have succeeded already (an earlier answer got lost): look.
      if (request.type === 'retry' && error && error.status === 409) {
        const list = await ctx.ticket.refreshDeliveries({ quiet: true });
        const found = list && list.find((d) => d.id === request.deliveryId);
        if (found && found.status === 'delivered') {
          attempt = { ...attempt, outcome: 'done' };
          showSuccess(found);
          return;
        }
      }
      attempt = failAttempt(attempt, error);
      showFailure(error, request);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    const valid = validate();
    if (!valid.ok) return;
    attempt = startAttempt(attempt, isShare ? 'share' : 'attach', buildBody(valid));
    run();
  });

  function leave(viewDelivered) {
    const delivery = finished;
    ctx.nav.back();
    if (onFinished) onFinished({ delivery, viewDelivered });
  }

  function cancel() {
    if (busy) return;
    if (finished) {
      leave(false);
      return;
    }
    ctx.nav.back();
  }

  function start() {
    updateExpiryHint();
    updateNoteCount();
    if (isShare) {
      renderRecipients();
      if (ctx.ticket.state.status === 'loading' || ctx.ticket.state.status === 'idle') {
        ctx.ticket.load().then(() => {
          if (finished === null && !busy) renderRecipients();
        });
      }
    }
    if (!files.length && !galleryInfo) {
      setStage('form', h('div', { class: 'loading' }, skeletonRows(2)));
      return;
    }
    showForm({ focus: false });
    loadGalleryInfo();
    loadMissingFiles();
  }

  return {
    el,
    start,
    isBusy: () => busy,
    isPanel: true,
    focus: () => heading.focus(),
  };
}
