// The HTML an "Insert link" button appends to the ticket comment: escaped by construction.

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
