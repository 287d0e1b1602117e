// Deliveries, the pure part: request bodies for attach/share, the Idempotency-Key rules, what a
// failure means for Retry, the agent-facing error text, and which files exceed the attachment limit.
//
// Idempotency: every Confirm starts an attempt with a fresh UUID, except when the previous attempt
// had the same body and its outcome is unknown (no answer, 5xx, 429, still running): then the key
// is reused, so a request that did land is replayed by the backend instead of running twice. A
// delivery the backend recorded as failed (502 delivery_failed, `details.delivery.id`) is retried
// through `POST /deliveries/<id>/retry` (re-POSTing its key would only replay the failure).

export const MAX_ITEMS = 50;
export const MAX_RECIPIENTS = 20;
export const MAX_NOTE = 2000;
export const SHARE_DAYS = { min: 1, max: 365 };
export const MAX_DOWNLOADS = { min: 1, max: 10000 };
/** The backend's default attachment limit (PSZ_ATTACHMENT_LIMIT_MB = 7, i.e. 7 MiB). */
export const ATTACHMENT_LIMIT_BYTES = 7 * 1024 * 1024;

const MEDIA_ID = /^I0000[A-Za-z0-9._]{11}$/;
const GALLERY_ID = /^G0000[A-Za-z0-9._]{11}$/;

export function isMediaId(id) {
  return MEDIA_ID.test(String(id ?? ''));
}

export function isGalleryId(id) {
  return GALLERY_ID.test(String(id ?? ''));
}

function unique(values) {
  return [...new Set((values || []).map((v) => String(v)))];
}

function toInt(value) {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isInteger(number) ? number : null;
}

/** The body of `POST /tickets/<id>/attachments`, exactly. */
export function attachBody({ mediaIds = [], isPublic = false, note = '' } = {}) {
  return { media_ids: unique(mediaIds), public: Boolean(isPublic), note: String(note ?? '').trim() };
}

/** The body of `POST /tickets/<id>/shares`, exactly: a gallery or a selection, never both. */
export function shareBody({
  galleryId = null,
  mediaIds = [],
  recipients = [],
  expiresInDays = null,
  allowDownload = true,
  maxDownloads = null,
  note = '',
  postAs = 'note',
} = {}) {
  const body = galleryId ? { gallery_id: String(galleryId) } : { media_ids: unique(mediaIds) };
  body.recipients = unique(recipients);
  const days = toInt(expiresInDays);
  if (days !== null) body.expires_in_days = days;
  body.allow_download = Boolean(allowDownload);
  const max = toInt(maxDownloads);
  body.max_downloads = allowDownload && max !== null && max > 0 ? max : null;
  body.note = String(note ?? '').trim();
  body.post_as = postAs === 'reply' ? 'reply' : 'note';
  return body;
}

/** A random UUID (v4) for an Idempotency-Key. `crypto` is injectable for tests. */
export function newIdempotencyKey(crypto = globalThis.crypto) {
  if (crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (crypto && typeof crypto.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sameBody(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The id of the delivery the backend recorded as failed (502 delivery_failed), else null. */
export function failedDeliveryId(error) {
  const details = error && error.details;
  const id = details && details.delivery && details.delivery.id;
  return error && error.code === 'delivery_failed' && typeof id === 'string' && id ? id : null;
}

/**
 * What Retry should do after `error`:
 * - `retry_delivery`: the backend recorded a failed delivery -> `POST /deliveries/<id>/retry`;
 * - `resend`: the outcome is unknown or transient -> the same POST with the same key;
 * - `new_key`: the key was used for another body -> the same POST with a fresh key;
 * - `edit`: the request itself was refused (400, 404, 409 conflict...) -> change it first;
 * - `none`: retrying cannot help (setup, permissions).
 */
export function retryPlan(error) {
  const err = error || {};
  const status = Number(err.status) || 0;
  const deliveryId = failedDeliveryId(err);
  if (deliveryId) return { action: 'retry_delivery', deliveryId };
  if (err.code === 'not_configured' || err.code === 'no_ticket' || status === 401 || status === 403) return { action: 'none' };
  if (err.code === 'idempotency_key_reused' || (status === 422 && !err.code)) return { action: 'new_key' };
  if (status === 0 || status === 408 || status === 429 || status >= 500 || err.code === 'request_in_progress') {
    return { action: 'resend' };
  }
  return { action: 'edit' };
}

/**
 * The attempt a Confirm press starts: `{kind, body, key, deliveryId, outcome}`.
 * Reuses the previous key (and failed delivery) only for the same kind and body whose outcome is
 * unknown or failed-but-recorded; anything else gets a fresh key.
 */
export function startAttempt(previous, kind, body, makeKey = newIdempotencyKey) {
  const carry =
    previous &&
    previous.kind === kind &&
    sameBody(previous.body, body) &&
    (previous.outcome === 'uncertain' || previous.outcome === 'failed');
  return {
    kind,
    body,
    key: carry ? previous.key : makeKey(),
    deliveryId: carry ? previous.deliveryId : null,
    outcome: 'pending',
  };
}

/** The attempt after a failure: its key, the recorded delivery to retry, and the outcome. */
export function failAttempt(attempt, error, makeKey = newIdempotencyKey) {
  const plan = retryPlan(error);
  if (plan.action === 'retry_delivery') return { ...attempt, deliveryId: plan.deliveryId, outcome: 'failed' };
  if (plan.action === 'resend') return { ...attempt, outcome: 'uncertain' };
  if (plan.action === 'new_key') return { ...attempt, key: makeKey(), outcome: 'uncertain' };
  return { ...attempt, outcome: 'rejected' };
}

/** The next request of an attempt: the recorded delivery's retry, or the POST with its key. */
export function nextRequest(attempt) {
  if (attempt.deliveryId) return { type: 'retry', deliveryId: attempt.deliveryId };
  return { type: attempt.kind, body: attempt.body, key: attempt.key };
}

function firstFieldError(details) {
  const fields = details && details.fields;
  if (!fields || typeof fields !== 'object') return null;
  const walk = (node, path) => {
    if (typeof node === 'string') return { path, text: node };
    if (Array.isArray(node)) {
      for (const item of node) {
        const found = walk(item, path);
        if (found) return found;
      }
      return null;
    }
    if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const found = walk(value, path || key);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(fields, '');
}

/**
 * What the failure panel says: `{title, message, hint, retry}` (retry: the retryPlan action).
 * `kind` is attach|share|revoke|retry (titles differ).
 */
export function deliveryErrorText(t, error, { kind = 'attach' } = {}) {
  const err = error || {};
  const status = Number(err.status) || 0;
  const plan = retryPlan(err);
  const backend = typeof err.message === 'string' && err.message.trim() ? err.message.trim() : null;
  let title = t(`delivery_error.title.${kind === 'share' ? 'share' : kind === 'revoke' ? 'revoke' : 'attach'}`);
  let message = backend || t('delivery_error.generic');
  let hint = null;
  if (plan.action === 'retry_delivery') {
    hint = t('delivery_error.hint_recorded');
  } else if (err.code === 'not_configured') {
    title = t('error.title_setup');
    message = t('error.not_configured');
    hint = t('error.hint_settings');
  } else if (err.code === 'no_ticket') {
    message = t('delivery_error.no_ticket');
  } else if (status === 0) {
    title = t('delivery_error.title_network');
    message = t('delivery_error.network');
    hint = t('delivery_error.hint_safe');
  } else if (status === 429) {
    title = t('error.title_rate_limited');
    message = backend || t('error.rate_limited');
    if (typeof err.retryAfter === 'number' && err.retryAfter > 0) hint = t('error.retry_after', { count: err.retryAfter });
  } else if (err.code === 'request_in_progress') {
    title = t('delivery_error.title_in_progress');
    message = t('delivery_error.in_progress');
  } else if (err.code === 'idempotency_key_reused') {
    message = t('delivery_error.key_reused');
  } else if (status === 400) {
    const field = firstFieldError(err.details);
    message = field ? t('delivery_error.field', { field: field.path, message: field.text }) : backend || t('delivery_error.invalid');
    hint = t('delivery_error.hint_edit');
  } else if (status === 401) {
    title = t('error.title_setup');
    hint = t('error.hint_settings');
  } else if (status === 403) {
    message = backend || t('error.forbidden');
  } else if (status === 404) {
    message = backend || t('error.not_found');
    hint = kind === 'revoke' ? null : t('delivery_error.hint_edit');
  } else if (status === 409) {
    hint = t('delivery_error.hint_edit');
  } else if (status >= 500) {
    message = backend || t('error.upstream');
    hint = t('delivery_error.hint_safe');
  }
  return { title, message, hint, retry: plan.action };
}

/** True when the file is bigger than what Zendesk takes as an attachment (it may go as a link). */
export function overAttachmentLimit(item, limit = ATTACHMENT_LIMIT_BYTES) {
  return Boolean(item) && typeof item.file_size === 'number' && item.file_size > limit;
}
