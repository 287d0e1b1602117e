// format.js, links.js, settings.js, resize.js: the small pure helpers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatBytes, formatDate, formatDimensions, looksLikeId } from '../../zendesk_app/assets/format.js';
import { escapeHtml, linkHtml, safeUrl } from '../../zendesk_app/assets/links.js';
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
