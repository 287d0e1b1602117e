// Links in the conversation that do not work (from `GET /tickets/<id>/context`), and what a
// one-click re-share should be prefilled with. Pure.

import { isGalleryId, isMediaId } from './delivery.js';

// Share statuses and troubleshooter causes the banner has a title for (anything else: generic).
export const BANNER_CAUSES = [
  'expired',
  'revoked',
  'exhausted',
  'download_limit',
  'private',
  'password_required',
  'wrong_password',
  'permission_required',
  'not_found',
];

function sameTarget(a, b) {
  if (!a || !b) return false;
  if (a.galleryId || b.galleryId) return a.galleryId === b.galleryId;
  return Array.isArray(a.mediaIds) && Array.isArray(b.mediaIds) && a.mediaIds.join() === b.mediaIds.join();
}

/**
 * The broken links, most recent (last in the conversation) first, one per URL. A broken link that
 * a later working link to the same gallery (or image) replaced, e.g. the fresh link of a re-share
 * posted after it, is left out: the agent already fixed it.
 */
export function brokenLinks(links) {
  const list = (Array.isArray(links) ? links : []).filter((link) => link && link.url);
  const seen = new Set();
  const out = [];
  for (let index = list.length - 1; index >= 0; index -= 1) {
    const link = list[index];
    if (link.works !== false || seen.has(link.url)) continue;
    seen.add(link.url);
    if (!replacedLater(list, index)) out.push(link);
  }
  return out;
}

/** True when a link after `list[index]` works and leads to the same gallery (or image). */
function replacedLater(list, index) {
  const target = reshareTarget(list[index]);
  if (!target) return false;
  return list.slice(index + 1).some((later) => later.works === true && sameTarget(target, reshareTarget(later)));
}

/** The banner title key's cause: a known cause, else 'unknown'. */
export function bannerCause(link) {
  const cause = link && link.cause;
  return BANNER_CAUSES.includes(cause) ? cause : 'unknown';
}

/**
 * What to share again: `{galleryId}` for the link's gallery, `{mediaIds: [id]}` for an image link,
 * or null when there is nothing shareable (a collection, or no id): then the troubleshooter helps.
 */
export function reshareTarget(link) {
  if (!link) return null;
  if (link.kind === 'media' && isMediaId(link.id)) return { mediaIds: [link.id] };
  if (isGalleryId(link.container_id)) return { galleryId: link.container_id };
  if (link.kind === 'gallery' && isGalleryId(link.id)) return { galleryId: link.id };
  return null;
}

/**
 * The share panel's prefill for a broken link: target, the requester as recipient, and the link it
 * replaces. Null when there is no target.
 */
export function resharePrefill(link, requester) {
  const target = reshareTarget(link);
  if (!target) return null;
  const email = requester && typeof requester.email === 'string' && requester.email.trim() ? requester.email.trim() : null;
  return {
    ...target,
    recipients: email ? [email] : [],
    replaces: { url: link.url, cause: link.cause || null, shareId: link.share_id || null },
  };
}
