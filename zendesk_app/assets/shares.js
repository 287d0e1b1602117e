// Share and delivery status -> badges (pure; the caller passes `t` and the clock). Same Garden hues
// as badges.js: green works, yellow ends soon, red the customer is locked out, grey finished/neutral.

import { daysUntil } from './badges.js';

export const SHARE_STATUSES = ['active', 'expiring', 'expired', 'revoked', 'exhausted'];
export const DELIVERY_STATUSES = ['pending', 'uploading', 'delivered', 'failed', 'revoked', 'expired'];

const DELIVERY_TONES = {
  pending: 'blue',
  uploading: 'blue',
  delivered: 'green',
  failed: 'red',
  revoked: 'grey',
  expired: 'grey',
};

/**
 * Badges for one share: `[{id, text, tone}]`, the status first, then downloads when limited.
 * active -> Active; expiring -> Expiring in N days (today); expired; revoked; exhausted -> No
 * downloads left. View-only shares say so instead of counting downloads.
 */
export function shareBadges(share, t, { now = Date.now() } = {}) {
  if (!share || typeof share !== 'object') return [];
  const badges = [];
  const status = SHARE_STATUSES.includes(share.status) ? share.status : 'unknown';
  if (status === 'active') {
    badges.push({ id: 'active', text: t('share_status.active'), tone: 'green' });
  } else if (status === 'expiring') {
    const days = daysUntil(share.expires_at, now);
    badges.push(
      days === 0 || days === null
        ? { id: 'expiring', text: t('share_status.expiring_today'), tone: 'yellow' }
        : { id: 'expiring', text: t('share_status.expiring', { count: days }), tone: 'yellow' },
    );
  } else if (status === 'expired') {
    badges.push({ id: 'expired', text: t('share_status.expired'), tone: 'red' });
  } else if (status === 'revoked') {
    badges.push({ id: 'revoked', text: t('share_status.revoked'), tone: 'grey' });
  } else if (status === 'exhausted') {
    badges.push({ id: 'exhausted', text: t('share_status.no_downloads_left'), tone: 'red' });
  } else {
    badges.push({ id: 'unknown', text: t('share_status.unknown'), tone: 'grey' });
  }
  if (status === 'active' || status === 'expiring') {
    if (share.allow_download === false) {
      badges.push({ id: 'view_only', text: t('share_status.view_only'), tone: 'grey' });
    } else if (typeof share.downloads_left === 'number' && share.max_downloads !== null && share.max_downloads !== undefined) {
      badges.push(
        share.downloads_left > 0
          ? { id: 'downloads_left', text: t('share_status.downloads_left', { count: share.downloads_left }), tone: 'grey' }
          : { id: 'no_downloads', text: t('share_status.no_downloads_left'), tone: 'red' },
      );
    }
  }
  return badges;
}

/** A share can be revoked while its link still exists on PhotoShelter. */
export function canRevoke(share) {
  return Boolean(share) && ['active', 'expiring', 'exhausted'].includes(share.status);
}

/** The delivery's own status badge: `{id, text, tone}`. */
export function deliveryBadge(delivery, t) {
  const status = delivery && DELIVERY_STATUSES.includes(delivery.status) ? delivery.status : 'unknown';
  return { id: status, text: t(`delivery_status.${status}`), tone: DELIVERY_TONES[status] || 'grey' };
}

/** Newest first (created_at), stable for equal times. */
export function sortDeliveries(items) {
  return [...(Array.isArray(items) ? items : [])]
    .map((item, index) => ({ item, index, at: Date.parse(item && item.created_at) || 0 }))
    .sort((a, b) => b.at - a.at || a.index - b.index)
    .map((entry) => entry.item);
}

/** Replace one share (by id) inside a delivery list, and mark its delivery revoked when it is. */
export function applyShareUpdate(items, share) {
  return (Array.isArray(items) ? items : []).map((delivery) => {
    const shares = Array.isArray(delivery.shares) ? delivery.shares : [];
    if (!shares.some((s) => s.id === share.id)) return delivery;
    const next = shares.map((s) => (s.id === share.id ? { ...s, ...share } : s));
    const allRevoked = next.every((s) => s.status === 'revoked');
    return { ...delivery, shares: next, status: allRevoked ? 'revoked' : delivery.status };
  });
}

/** Put a delivery (new or updated, by id) at its place in the list. */
export function upsertDelivery(items, delivery) {
  if (!delivery || !delivery.id) return Array.isArray(items) ? items : [];
  const rest = (Array.isArray(items) ? items : []).filter((d) => d.id !== delivery.id);
  return sortDeliveries([delivery, ...rest]);
}
