// format.js, links.js, settings.js, resize.js: the small pure helpers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mayTakeFocus } from '../../zendesk_app/assets/dom.js';
import { fileNameParts, fileNameRuns, formatBytes, formatDate, formatDimensions, looksLikeId } from '../../zendesk_app/assets/format.js';
import { directLinkPolicy, escapeHtml, linkHtml, safeUrl } from '../../zendesk_app/assets/links.js';
import { MIN_HEIGHT, resizePayload } from '../../zendesk_app/assets/resize.js';
import { normaliseBackendUrl, readSettings } from '../../zendesk_app/assets/settings.js';
import { uiTranslator } from './helpers.mjs';

const t = uiTranslator();

describe('format', () => {
  it('formats sizes in decimal units', () => {
    assert.equal(formatBytes(13052156, t), '13.1 MB');
    assert.equal(formatBytes(2_500_000_000, t), '2.5 GB');
    assert.equal(formatBytes(64_300, t), '64 KB');
    assert.equal(formatBytes(512, t), '512 B');
    assert.equal(formatBytes(undefined, t), '');
  });

  it('formats dimensions and dates', () => {
    assert.equal(formatDimensions(8640, 5760, t), '8,640 × 5,760 px');
    assert.equal(formatDimensions(0, 10, t), '');
    assert.equal(formatDate('2026-12-01T18:03:01+00:00', 'en'), 'Dec 1, 2026');
    assert.equal(formatDate(null), '');
    assert.equal(formatDate('nope'), '');
  });

  it('recognises bare PhotoShelter ids', () => {
    assert.equal(looksLikeId('G0000P9vWEyabepJ'), true);
    assert.equal(looksLikeId(' C0000cCequm4BmmS '), true);
    assert.equal(looksLikeId('https://x/G0000P9vWEyabepJ'), false);
    assert.equal(looksLikeId('X0000P9vWEyabepJ'), false);
  });
});

describe('file names', () => {
  it('keeps the distinguishing end whole for a middle ellipsis', () => {
    assert.deepEqual(fileNameParts('NW_PressTrailrunner_2026_0374.jpg'), { head: 'NW_PressTrailrunner_2026_', tail: '0374.jpg' });
    assert.deepEqual(fileNameParts('NW Press 1.jpg'), { head: 'NW Press ', tail: '1.jpg' });
    assert.deepEqual(fileNameParts('trail-run-final.jpeg'), { head: 'trail-run-', tail: 'final.jpeg' });
    // nothing to cut
    assert.deepEqual(fileNameParts('IMG0001.jpg'), { head: '', tail: 'IMG0001.jpg' });
    assert.deepEqual(fileNameParts(''), { head: '', tail: '' });
    assert.deepEqual(fileNameParts(null), { head: '', tail: '' });
  });

  it('never keeps a tail too long to fit next to the ellipsis', () => {
    for (const name of ['abcdefghijklmnopqrstuvwxyz.jpg', 'NW_a_VeryLongLastSegmentWithoutBreaks.tiff', 'x'.repeat(80)]) {
      const { head, tail } = fileNameParts(name);
      assert.equal(head + tail, name);
      assert.ok(tail.length <= 12, `${name}: ${tail}`);
      assert.ok(head.length > 0, name);
    }
  });

  it('offers line breaks after separators only, never inside a word or before the extension', () => {
    assert.deepEqual(fileNameRuns('NW_PressTrailrunner_2026_0374.jpg'), ['NW_', 'PressTrailrunner_', '2026_', '0374.jpg']);
    assert.deepEqual(fileNameRuns('a--b c.png'), ['a--', 'b ', 'c.png']);
    assert.deepEqual(fileNameRuns('_lead.jpg'), ['_', 'lead.jpg']);
    assert.deepEqual(fileNameRuns('plain.jpg'), ['plain.jpg']);
    assert.deepEqual(fileNameRuns(undefined), []);
    assert.equal(fileNameRuns('NW_PressTrailrunner_2026_0374.jpg').join(''), 'NW_PressTrailrunner_2026_0374.jpg');
  });
});

describe('direct image links', () => {
  const access = (fields) => ({ status: 'public', expired: false, downloads_left: null, ...fields });

  it('lets only images open to everyone be inserted as a direct URL', () => {
    assert.deepEqual(directLinkPolicy(access()), { insert: true, reason: null });
    assert.deepEqual(directLinkPolicy(access({ status: 'public_unlisted' })), { insert: true, reason: null });
    assert.deepEqual(directLinkPolicy(access({ downloads_left: 0 })), { insert: true, reason: null });
  });

  it('sends password, restricted, private and expired images to a tracked share, saying why', () => {
    assert.deepEqual(directLinkPolicy(access({ status: 'password' })), { insert: false, reason: 'password' });
    assert.deepEqual(directLinkPolicy(access({ status: 'restricted' })), { insert: false, reason: 'restricted' });
    assert.deepEqual(directLinkPolicy(access({ status: 'private' })), { insert: false, reason: 'private' });
    // expiry wins over the status: a public link that expired must not be revived by a CDN URL
    assert.deepEqual(directLinkPolicy(access({ expired: true })), { insert: false, reason: 'expired' });
    assert.deepEqual(directLinkPolicy(access({ status: 'password', expired: true })), { insert: false, reason: 'expired' });
  });

  it('refuses when the access is unknown', () => {
    assert.deepEqual(directLinkPolicy(null), { insert: false, reason: 'unknown' });
    assert.deepEqual(directLinkPolicy({}), { insert: false, reason: 'unknown' });
    assert.deepEqual(directLinkPolicy(access({ status: 'secret_new_status' })), { insert: false, reason: 'unknown' });
  });

  it('has a hint for every reason', () => {
    for (const reason of ['password', 'restricted', 'private', 'expired', 'unknown']) {
      assert.equal(typeof t(`media.share_hint.${reason}`), 'string');
      assert.notEqual(t(`media.share_hint.${reason}`), `media.share_hint.${reason}`);
    }
  });
});

describe('focus after a view loaded', () => {
  const node = (inside = []) => ({ isConnected: true, contains: (x) => inside.includes(x) });
  const body = { tag: 'body' };
  const back = { tag: 'back' };
  const elsewhere = { tag: 'tab' };

  it('moves to the heading while focus is still on Back, inside the view or nowhere', () => {
    const view = node([back]);
    assert.equal(mayTakeFocus(view, back, body), true);
    assert.equal(mayTakeFocus(view, body, body), true);
    assert.equal(mayTakeFocus(view, null, body), true);
  });

  it('leaves focus alone when the agent moved on or the view was closed', () => {
    assert.equal(mayTakeFocus(node([back]), elsewhere, body), false);
    assert.equal(mayTakeFocus({ ...node([back]), isConnected: false }, back, body), false);
    assert.equal(mayTakeFocus(null, back, body), false);
  });
});

describe('links', () => {
  it('escapes the name and the URL of the inserted link', () => {
    assert.equal(
      linkHtml('https://ps.example.com/gallery/a?x=1&y="2"', 'Tom & Jerry <b>"best"</b>'),
      '<a href="https://ps.example.com/gallery/a?x=1&amp;y=%222%22">Tom &amp; Jerry &lt;b&gt;&quot;best&quot;&lt;/b&gt;</a>',
    );
    assert.equal(escapeHtml(`'`), '&#39;');
  });

  it('refuses non-http(s) URLs', () => {
    assert.equal(linkHtml('javascript:alert(1)', 'x'), null);
    assert.equal(linkHtml('/relative', 'x'), null);
    assert.equal(linkHtml(null, 'x'), null);
    assert.equal(safeUrl('data:text/html,hi'), null);
  });

  it('uses the URL as text when there is no name', () => {
    assert.equal(linkHtml('https://a.example/x', '  '), '<a href="https://a.example/x">https://a.example/x</a>');
  });
});

describe('settings', () => {
  it('normalises what Zendesk hands back (strings for numbers and checkboxes)', () => {
    assert.deepEqual(readSettings({ backend_url: 'https://b.example.com//', expiring_soon_days: '10', default_share_days: '30', approved_only: 'true' }), {
      backendUrl: 'https://b.example.com',
      expiringSoonDays: 10,
      defaultShareDays: 30,
      approvedOnly: true,
    });
    assert.deepEqual(readSettings({ approved_only: false, expiring_soon_days: 'x' }), {
      backendUrl: '',
      expiringSoonDays: 7,
      defaultShareDays: 14,
      approvedOnly: false,
    });
    assert.deepEqual(readSettings(undefined), readSettings({}));
    assert.equal(normaliseBackendUrl(' http://127.0.0.1:5000/ '), 'http://127.0.0.1:5000');
  });
});

describe('resize', () => {
  it('asks for full width and a whole-pixel height, never below the minimum', () => {
    assert.deepEqual(resizePayload(431.2), { width: '100%', height: '432px' });
    assert.deepEqual(resizePayload(10), { width: '100%', height: `${MIN_HEIGHT}px` });
  });
});
