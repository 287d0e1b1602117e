import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  applyShareUpdate,
  canRevoke,
  DELIVERY_STATUSES,
  deliveryBadge,
  SHARE_STATUSES,
  shareBadges,
  sortDeliveries,
  upsertDelivery,
} from '../../zendesk_app/assets/shares.js';
import { uiTranslator } from './helpers.mjs';

const t = uiTranslator();
const NOW = Date.parse('2026-11-28T18:00:00Z');
const DAY = 86400000;
const iso = (ms) => new Date(ms).toISOString();
const share = (fields) => ({
  id: 'R--dluDPBOBhTo8I2baO1BNc',
  link: 'https://psz.example/l/R--dluDPBOBhTo8I2baO1BNc',
  container_id: 'G0000kU16xDVlQ8k',
  status: 'active',
  expires_at: iso(NOW + 14 * DAY),
  max_downloads: null,
  downloads: 0,
  downloads_left: null,
  allow_download: true,
  revoked_at: null,
  ...fields,
});
const strip = (badges) => badges.map(({ id, text, tone }) => [id, text, tone]);

describe('shareBadges', () => {
  it('maps each status to its badge', () => {
    assert.deepEqual(strip(shareBadges(share({}), t, { now: NOW })), [['active', 'Active', 'green']]);
    assert.deepEqual(strip(shareBadges(share({ status: 'expiring', expires_at: iso(NOW + 3 * DAY) }), t, { now: NOW })), [
      ['expiring', 'Expiring in 3 days', 'yellow'],
    ]);
    assert.deepEqual(strip(shareBadges(share({ status: 'expiring', expires_at: iso(NOW + DAY / 2) }), t, { now: NOW })), [
      ['expiring', 'Expiring in 1 day', 'yellow'],
    ]);
    assert.deepEqual(strip(shareBadges(share({ status: 'expiring', expires_at: iso(NOW - 1000) }), t, { now: NOW })), [
      ['expiring', 'Expires today', 'yellow'],
    ]);
    assert.deepEqual(strip(shareBadges(share({ status: 'expired' }), t, { now: NOW })), [['expired', 'Expired', 'red']]);
    assert.deepEqual(strip(shareBadges(share({ status: 'revoked', revoked_at: iso(NOW) }), t, { now: NOW })), [['revoked', 'Revoked', 'grey']]);
    assert.deepEqual(strip(shareBadges(share({ status: 'exhausted', max_downloads: 5, downloads: 5, downloads_left: 0 }), t, { now: NOW })), [
      ['exhausted', 'No downloads left', 'red'],
    ]);
    assert.deepEqual(strip(shareBadges(share({ status: 'weird' }), t, { now: NOW })), [['unknown', 'Status unknown', 'grey']]);
    assert.deepEqual(shareBadges(null, t), []);
  });

  it('counts downloads left on limited live shares, says "View only" when downloads are off', () => {
    assert.deepEqual(strip(shareBadges(share({ max_downloads: 10, downloads: 3, downloads_left: 7 }), t, { now: NOW })), [
      ['active', 'Active', 'green'],
      ['downloads_left', '7 downloads left', 'grey'],
    ]);
    assert.deepEqual(strip(shareBadges(share({ max_downloads: 1, downloads_left: 1, status: 'expiring', expires_at: iso(NOW + 2 * DAY) }), t, { now: NOW })), [
      ['expiring', 'Expiring in 2 days', 'yellow'],
      ['downloads_left', '1 download left', 'grey'],
    ]);
    assert.deepEqual(strip(shareBadges(share({ max_downloads: 3, downloads_left: 0 }), t, { now: NOW })), [
      ['active', 'Active', 'green'],
      ['no_downloads', 'No downloads left', 'red'],
    ]);
    // the backend reports downloads_left 0 for view-only shares: not "No downloads left"
    assert.deepEqual(strip(shareBadges(share({ allow_download: false, downloads_left: 0 }), t, { now: NOW })), [
      ['active', 'Active', 'green'],
      ['view_only', 'View only', 'grey'],
    ]);
    // unlimited: no count; finished shares: no count
    assert.equal(shareBadges(share({ downloads_left: null }), t, { now: NOW }).length, 1);
    assert.equal(shareBadges(share({ status: 'revoked', max_downloads: 5, downloads_left: 5 }), t, { now: NOW }).length, 1);
  });

  it('every status has its text', () => {
    for (const status of SHARE_STATUSES) {
      for (const badge of shareBadges(share({ status }), t, { now: NOW })) assert.doesNotMatch(badge.text, /share_status/);
    }
  });
});

describe('delivery helpers', () => {
  it('deliveryBadge maps statuses', () => {
    const tones = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, deliveryBadge({ status: s }, t)]));
    assert.deepEqual(tones.delivered, { id: 'delivered', text: 'Delivered', tone: 'green' });
    assert.deepEqual(tones.failed, { id: 'failed', text: 'Failed', tone: 'red' });
    assert.deepEqual(tones.uploading, { id: 'uploading', text: 'In progress', tone: 'blue' });
    assert.deepEqual(tones.pending, { id: 'pending', text: 'Pending', tone: 'blue' });
    assert.deepEqual(tones.revoked, { id: 'revoked', text: 'Revoked', tone: 'grey' });
    assert.deepEqual(deliveryBadge({ status: '??' }, t), { id: 'unknown', text: 'Unknown', tone: 'grey' });
  });

  it('canRevoke while the link exists', () => {
    assert.deepEqual(
      SHARE_STATUSES.map((status) => [status, canRevoke({ status })]),
      [
        ['active', true],
        ['expiring', true],
        ['expired', false],
        ['revoked', false],
        ['exhausted', true],
      ],
    );
    assert.equal(canRevoke(null), false);
  });

  it('sorts newest first, upserts by id, applies a revoked share', () => {
    const a = { id: 'dl_a', kind: 'share', status: 'delivered', created_at: iso(NOW - DAY), shares: [share({ id: 's_a' })] };
    const b = { id: 'dl_b', kind: 'attachment', status: 'delivered', created_at: iso(NOW), shares: [] };
    assert.deepEqual(sortDeliveries([a, b]).map((d) => d.id), ['dl_b', 'dl_a']);
    assert.deepEqual(sortDeliveries(null), []);
    const c = { id: 'dl_c', kind: 'share', status: 'delivered', created_at: iso(NOW + 1000), shares: [] };
    assert.deepEqual(upsertDelivery([b, a], c).map((d) => d.id), ['dl_c', 'dl_b', 'dl_a']);
    assert.equal(upsertDelivery([b, a], { ...a, status: 'failed' }).find((d) => d.id === 'dl_a').status, 'failed');
    assert.equal(upsertDelivery([b, a], {}).length, 2);
    const after = applyShareUpdate([b, a], { id: 's_a', status: 'revoked', revoked_at: iso(NOW) });
    const revoked = after.find((d) => d.id === 'dl_a');
    assert.equal(revoked.status, 'revoked');
    assert.equal(revoked.shares[0].status, 'revoked');
    assert.equal(revoked.shares[0].link, share({}).link);
    assert.equal(after.find((d) => d.id === 'dl_b'), b);
  });
});
