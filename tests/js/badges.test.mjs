import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { accessBadges, daysUntil, STATUS_BADGES, TONES } from '../../zendesk_app/assets/badges.js';
import { uiTranslator } from './helpers.mjs';

const t = uiTranslator();
const NOW = Date.parse('2026-11-28T18:00:00Z');
const DAY = 86400000;
const iso = (ms) => new Date(ms).toISOString();
const access = (fields) => ({
  status: 'public',
  reason: 'x',
  expires_at: null,
  expiring_soon: false,
  expired: false,
  downloads_left: null,
  inherited_from: null,
  via_gallery_id: null,
  ...fields,
});
const badges = (fields, options = {}) =>
  accessBadges(access(fields), t, { now: NOW, ...options }).map(({ text, tone }) => [text, tone]);

describe('accessBadges: status', () => {
  const cases = {
    public: ['Public', 'green'],
    public_unlisted: ['Unlisted', 'blue'],
    password: ['Password', 'yellow'],
    restricted: ['Restricted', 'yellow'],
    private: ['Private', 'red'],
  };
  for (const [status, expected] of Object.entries(cases)) {
    it(`${status} -> ${expected[0]} (${expected[1]})`, () => {
      assert.deepEqual(badges({ status }), [expected]);
    });
  }

  it('an unknown status gets a neutral badge, a missing block gets none', () => {
    assert.deepEqual(badges({ status: 'weird' }), [['Unknown access', 'grey']]);
    assert.deepEqual(accessBadges(null, t), []);
    assert.deepEqual(accessBadges(undefined, t), []);
  });

  it('every tone is a Garden hue', () => {
    for (const { tone } of Object.values(STATUS_BADGES)) assert.ok(TONES.includes(tone));
  });
});

describe('accessBadges: expiry', () => {
  it('expired access says Expired in red (and drops download counts)', () => {
    assert.deepEqual(badges({ status: 'password', expired: true, expires_at: iso(NOW - DAY), downloads_left: 3 }), [
      ['Password', 'yellow'],
      ['Expired', 'red'],
    ]);
  });

  it('expiring_soon from the backend shows the days left', () => {
    assert.deepEqual(badges({ status: 'password', expiring_soon: true, expires_at: iso(NOW + 3 * DAY - 60000) }), [
      ['Password', 'yellow'],
      ['Expires in 3 days', 'yellow'],
    ]);
    assert.deepEqual(badges({ status: 'restricted', expiring_soon: true, expires_at: iso(NOW + DAY / 2) }), [
      ['Restricted', 'yellow'],
      ['Expires in 1 day', 'yellow'],
    ]);
  });

  it('expires today when less than a day is left and the moment has passed', () => {
    assert.deepEqual(badges({ status: 'restricted', expiring_soon: true, expires_at: iso(NOW - 1000) }), [
      ['Restricted', 'yellow'],
      ['Expires today', 'yellow'],
    ]);
  });

  it('the expiring_soon_days setting widens the window; far expiries show nothing', () => {
    const far = { status: 'restricted', expires_at: iso(NOW + 10 * DAY) };
    assert.deepEqual(badges(far), [['Restricted', 'yellow']]);
    assert.deepEqual(badges(far, { expiringSoonDays: 7 }), [['Restricted', 'yellow']]);
    assert.deepEqual(badges(far, { expiringSoonDays: 14 }), [
      ['Restricted', 'yellow'],
      ['Expires in 10 days', 'yellow'],
    ]);
  });
});

describe('accessBadges: downloads', () => {
  it('counts downloads left, says when none are left, and is silent when unlimited', () => {
    assert.deepEqual(badges({ status: 'restricted', downloads_left: 3 }), [
      ['Restricted', 'yellow'],
      ['3 downloads left', 'grey'],
    ]);
    assert.deepEqual(badges({ status: 'restricted', downloads_left: 1 }), [
      ['Restricted', 'yellow'],
      ['1 download left', 'grey'],
    ]);
    assert.deepEqual(badges({ status: 'password', downloads_left: 0 }), [
      ['Password', 'yellow'],
      ['No downloads left', 'red'],
    ]);
    assert.deepEqual(badges({ status: 'public', downloads_left: null }), [['Public', 'green']]);
  });

  it('combines status, expiry and downloads in that order', () => {
    const result = accessBadges(
      access({ status: 'password', expiring_soon: true, expires_at: iso(NOW + 2 * DAY), downloads_left: 200 }),
      t,
      { now: NOW },
    );
    assert.deepEqual(
      result.map((b) => b.id),
      ['password', 'expires_in', 'downloads_left'],
    );
    assert.deepEqual(
      result.map((b) => b.text),
      ['Password', 'Expires in 2 days', '200 downloads left'],
    );
  });

  it('covers every status x expiry x downloads combination without missing strings', () => {
    for (const status of [...Object.keys(STATUS_BADGES), 'other']) {
      for (const expiry of [{}, { expired: true, expires_at: iso(NOW - DAY) }, { expiring_soon: true, expires_at: iso(NOW + DAY) }]) {
        for (const downloads_left of [null, 0, 1, 5]) {
          for (const b of accessBadges(access({ status, downloads_left, ...expiry }), t, { now: NOW })) {
            assert.ok(TONES.includes(b.tone), b.tone);
            assert.ok(!b.text.startsWith('ticket_sidebar.'), `missing translation ${b.text}`);
            assert.ok(!b.text.includes('{{'), `uninterpolated ${b.text}`);
          }
        }
      }
    }
  });
});

describe('daysUntil', () => {
  it('rounds up and never goes below zero', () => {
    assert.equal(daysUntil(iso(NOW + 1), NOW), 1);
    assert.equal(daysUntil(iso(NOW + DAY), NOW), 1);
    assert.equal(daysUntil(iso(NOW + DAY + 1), NOW), 2);
    assert.equal(daysUntil(iso(NOW - 5 * DAY), NOW), 0);
    assert.equal(daysUntil(null, NOW), null);
    assert.equal(daysUntil('not a date', NOW), null);
  });
});
