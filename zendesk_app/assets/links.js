// The HTML an "Insert link" button appends to the ticket comment: escaped by construction, and
// the rule for when an image's direct (CDN preview) URL may be handed out at all.

export function escapeHtml(value) {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only absolute http(s) URLs may become links (no javascript:, data:, relative paths). */
export function safeUrl(url) {
  try {
    const parsed = new URL(String(url ?? ''));
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** `<a href="url">name</a>`, or null when the URL is not a usable http(s) link. */
export function linkHtml(url, name) {
  const href = safeUrl(url);
  if (!href) return null;
  const text = String(name ?? '').trim() || href;
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
}

/** Access statuses whose items anyone with the URL may see anyway (listed or unlisted). */
export const OPEN_STATUSES = ['public', 'public_unlisted'];

/**
 * May the agent insert an image's direct preview URL? A CDN URL bypasses the gallery's password,
 * invitations, privacy and expiry, so only images that are open to everyone qualify; the rest are
 * shared through a tracked link instead. `{insert: true}` or `{insert: false, reason}` with reason
 * password | restricted | private | expired | unknown (no or an unknown access block).
 */
export function directLinkPolicy(access) {
  if (!access || typeof access !== 'object' || typeof access.status !== 'string') return { insert: false, reason: 'unknown' };
  if (access.expired === true) return { insert: false, reason: 'expired' };
  if (OPEN_STATUSES.includes(access.status)) return { insert: true, reason: null };
  if (['password', 'restricted', 'private'].includes(access.status)) return { insert: false, reason: access.status };
  return { insert: false, reason: 'unknown' };
}
