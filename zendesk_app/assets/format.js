// Formatting helpers (pure): sizes, dimensions, dates, id detection. Words come from `t`.

export const PHOTOSHELTER_ID = /^(?:G0000|C0000|I0000)[A-Za-z0-9._]{11}$/;

/** True when the text is a bare gallery/collection/image id rather than a link. */
export function looksLikeId(text) {
  return PHOTOSHELTER_ID.test(String(text ?? '').trim());
}

function number(value, locale, digits) {
  try {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  } catch {
    return String(Math.round(value * 10 ** digits) / 10 ** digits);
  }
}

/** 13052156 -> "13.1 MB" (decimal units, like the operating systems agents use). */
export function formatBytes(bytes, t, locale = 'en') {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes >= 1e9) return t('format.gigabytes', { value: number(bytes / 1e9, locale, 1) });
  if (bytes >= 1e6) return t('format.megabytes', { value: number(bytes / 1e6, locale, 1) });
  if (bytes >= 1e3) return t('format.kilobytes', { value: number(bytes / 1e3, locale, 0) });
  return t('format.bytes', { value: number(bytes, locale, 0) });
}

export function formatDimensions(width, height, t, locale = 'en') {
  if (!width || !height) return '';
  return t('format.dimensions', { width: number(width, locale, 0), height: number(height, locale, 0) });
}

/** "1 Dec 2026" in the agent's locale; '' for no date. */
export function formatDate(iso, locale = 'en') {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  try {
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

const RELATIVE_STEPS = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
];

/** "5 minutes ago" / "in 3 days" in the agent's locale (Intl words); '' for no date. */
export function formatRelative(iso, now = Date.now(), locale = 'en') {
  if (!iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  let value = (at - now) / 1000;
  let unit = 'second';
  for (const [name, size] of RELATIVE_STEPS) {
    unit = name;
    if (Math.abs(value) < size) break;
    value /= size;
  }
  const rounded = Math.round(value);
  try {
    return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(unit === 'second' && Math.abs(rounded) < 45 ? 0 : rounded, unit);
  } catch {
    return formatDate(iso, locale);
  }
}

/** "1 Dec 2026, 14:05" in the agent's locale; '' for no date. */
export function formatDateTime(iso, locale = 'en') {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  try {
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 16).replace('T', ' ');
  }
}

// Where a file name may break: after these separators (never inside a word, a number or before
// the extension).
const NAME_SEPARATORS = /([_\-\s]+)/;

/**
 * A file name in runs that each end at a separator ("NW_", "Press", ...): the view puts a line
 * break opportunity (<wbr>) after each, so long names wrap at "_" / "-" / " " instead of mid-word.
 */
export function fileNameRuns(name) {
  const text = String(name ?? '');
  const runs = [];
  for (const part of text.split(NAME_SEPARATORS)) {
    if (!part) continue;
    if (NAME_SEPARATORS.test(part) && runs.length) runs[runs.length - 1] += part;
    else runs.push(part);
  }
  return runs;
}

/**
 * A file name cut for a one-line middle ellipsis: `{head, tail}` where the tail (kept whole) is the
 * part that tells similar names apart, the last run with the extension ("0374.jpg" of
 * "NW_PressTrailrunner_2026_0374.jpg"), at most `maxTail` characters; the head shrinks with "…".
 * head + tail is always the whole name.
 */
export function fileNameParts(name, { maxTail = 12 } = {}) {
  const text = String(name ?? '');
  const dot = text.lastIndexOf('.');
  const stem = dot > 0 ? text.slice(0, dot) : text;
  const cut = Math.max(stem.lastIndexOf('_'), stem.lastIndexOf('-'), stem.lastIndexOf(' '));
  let start = cut >= 0 ? cut + 1 : 0;
  if (text.length - start > maxTail) start = Math.max(0, text.length - Math.min(maxTail, 8));
  if (start <= 0) return { head: '', tail: text };
  return { head: text.slice(0, start), tail: text.slice(start) };
}
