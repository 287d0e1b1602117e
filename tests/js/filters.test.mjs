import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { applyApprovedFilter, isApproved } from '../../zendesk_app/assets/filters.js';

const item = (id, access) => ({ kind: 'gallery', id, access });

describe('approved-only filter', () => {
  const items = [
    item('public', { status: 'public', expired: false, downloads_left: null }),
    item('unlisted', { status: 'public_unlisted', expired: false, downloads_left: null }),
    item('password', { status: 'password', expired: false, downloads_left: 5 }),
    item('restricted-soon', { status: 'restricted', expired: false, expiring_soon: true, downloads_left: null }),
    item('private', { status: 'private', expired: false, downloads_left: null }),
    item('expired', { status: 'password', expired: true, downloads_left: 3 }),
    item('used-up', { status: 'restricted', expired: false, downloads_left: 0 }),
    { kind: 'media', id: 'no-access-block' },
  ];

  it('hides private, expired and used-up items and counts them', () => {
    const { visible, hidden } = applyApprovedFilter(items, true);
    assert.deepEqual(
      visible.map((i) => i.id),
      ['public', 'unlisted', 'password', 'restricted-soon', 'no-access-block'],
    );
    assert.equal(hidden, 3);
  });

  it('passes everything through when off', () => {
    const { visible, hidden } = applyApprovedFilter(items, false);
    assert.equal(visible.length, items.length);
    assert.equal(hidden, 0);
  });

  it('copes with no list', () => {
    assert.deepEqual(applyApprovedFilter(undefined, true), { visible: [], hidden: 0 });
  });

  it('isApproved looks at the access block only', () => {
    assert.equal(isApproved({ access: { status: 'private' } }), false);
    assert.equal(isApproved({ access: { status: 'public', downloads_left: 0 } }), false);
    assert.equal(isApproved({ access: { status: 'public', expired: true } }), false);
    assert.equal(isApproved({ access: { status: 'restricted', downloads_left: 1 } }), true);
  });
});
