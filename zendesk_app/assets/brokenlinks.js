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

/** The broken links, most recent (last in the conversation) first, one per URL. */
export function brokenLinks(links) {
  const seen = new Set();
  const out = [];
  for (const link of [...(Array.isArray(links) ? links : [])].reverse()) {
    if (!link || link.works !== false || !link.url || seen.has(link.url)) continue;
    seen.add(link.url);
    out.push(link);
  }
  return out;
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
