// Access block -> badges. Pure: the caller passes `t` (translations) and the clock.
// Tones are Garden tag hues: green (open), blue (link only), yellow (gated / expiring soon),
// red (customers cannot get in), grey (informational).

export const STATUS_BADGES = {
  public: { key: 'public', tone: 'green' },
  public_unlisted: { key: 'unlisted', tone: 'blue' },
  password: { key: 'password', tone: 'yellow' },
  restricted: { key: 'restricted', tone: 'yellow' },
  private: { key: 'private', tone: 'red' },
};

export const TONES = ['green', 'blue', 'yellow', 'red', 'grey'];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `now` until `iso` (rounded up, never negative); null when there is no date. */
export function daysUntil(iso, now = Date.now()) {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / DAY_MS));
}

/**
 * Badges for one `access` block: `[{id, text, tone}]`, status first.
 * `expiringSoonDays` (the app setting) widens the backend's own `expiring_soon` flag.
 */
export function accessBadges(access, t, { now = Date.now(), expiringSoonDays = null } = {}) {
  if (!access || typeof access !== 'object') return [];
  const badges = [];
  const status = STATUS_BADGES[access.status];
  if (status) {
    badges.push({ id: status.key, text: t(`badge.${status.key}`), tone: status.tone });
  } else if (access.status) {
    badges.push({ id: 'unknown', text: t('badge.unknown'), tone: 'grey' });
  }
  if (access.expired) {
    badges.push({ id: 'expired', text: t('badge.expired'), tone: 'red' });
  } else {
    const days = daysUntil(access.expires_at, now);
    const soon =
      days !== null &&
      (access.expiring_soon === true || (typeof expiringSoonDays === 'number' && days <= expiringSoonDays));
    if (soon) {
      badges.push(
        days === 0
          ? { id: 'expires_today', text: t('badge.expires_today'), tone: 'yellow' }
          : { id: 'expires_in', text: t('badge.expires_in', { count: days }), tone: 'yellow' },
      );
    }
    const left = access.downloads_left;
    if (left === 0) {
      badges.push({ id: 'no_downloads', text: t('badge.no_downloads_left'), tone: 'red' });
    } else if (typeof left === 'number' && left > 0) {
      badges.push({ id: 'downloads_left', text: t('badge.downloads_left', { count: left }), tone: 'grey' });
    }
  }
  return badges;
}
