// Every string the sidebar shows comes from translations/en.json, and en.json has what Zendesk needs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { STATUS_BADGES } from '../../zendesk_app/assets/badges.js';
import { BANNER_CAUSES } from '../../zendesk_app/assets/brokenlinks.js';
import { DELIVERY_STATUSES, SHARE_STATUSES } from '../../zendesk_app/assets/shares.js';
import { lookup } from '../../zendesk_app/assets/i18n.js';
import { KINDS } from '../../zendesk_app/assets/views/search.js';
import { CAUSE_TONES } from '../../zendesk_app/assets/views/troubleshoot.js';
import { referencedKeys } from '../../scripts/validate_app.mjs';
import { ASSETS, EN, ROOT } from './helpers.mjs';

const UI = EN.ticket_sidebar;
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));

function sources() {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) out.push([path.relative(ASSETS, full), fs.readFileSync(full, 'utf8')]);
    }
  };
  walk(ASSETS);
  return out;
}

const exists = (key) => {
  const value = lookup(UI, key);
  return typeof value === 'string' || (value && typeof value.other === 'string');
};

describe('translations/en.json', () => {
  it('has the app strings Zendesk requires and the listing limits', () => {
    for (const key of ['name', 'short_description', 'long_description', 'installation_instructions']) {
      assert.equal(typeof EN.app[key], 'string', `app.${key}`);
    }
    assert.ok(EN.app.name.length <= 40);
    assert.ok(EN.app.short_description.length <= 80);
  });

  it('has a label and helpText for every manifest parameter', () => {
    for (const param of MANIFEST.parameters) {
      const leaf = EN.app.parameters[param.name];
      assert.ok(leaf && leaf.label && leaf.helpText, `app.parameters.${param.name}`);
    }
  });

  it('has every key the UI code names literally', () => {
    const sections = new Set(Object.keys(UI));
    const missing = [];
    for (const [file, source] of sources()) {
      for (const key of referencedKeys(source, sections)) if (!exists(key)) missing.push(`${file}: ${key}`);
    }
    assert.deepEqual(missing, []);
  });

  it('has every key the UI builds from data', () => {
    const keys = [
      ...Object.values(STATUS_BADGES).map((b) => `badge.${b.key}`),
      ...KINDS.map((k) => `filter.${k}`),
      ...['gallery', 'collection', 'media'].flatMap((k) => [`kind.${k}`, `section.${k}`]),
      ...Object.keys(CAUSE_TONES).map((c) => `troubleshoot.cause.${c}`),
      ...['password', 'token', 'contact', 'group'].map((g) => `grant.type.${g}`),
      ...[...DELIVERY_STATUSES, 'unknown'].map((s) => `delivery_status.${s}`),
      ...SHARE_STATUSES.filter((s) => s !== 'exhausted').map((s) => `share_status.${s}`),
      ...[...BANNER_CAUSES, 'unknown'].map((c) => `banner.cause.${c}`),
      ...['attach', 'share', 'revoke'].map((k) => `delivery_error.title.${k}`),
      ...['requester', 'cc'].map((r) => `deliver.role_${r}`),
    ];
    assert.deepEqual(keys.filter((k) => !exists(k)), []);
  });

  it('plural entries all have an "other" form and interpolations are well formed', () => {
    const walk = (node, prefix) => {
      for (const [k, v] of Object.entries(node)) {
        const key = prefix ? `${prefix}.${k}` : k;
        if (typeof v === 'string') {
          assert.equal((v.match(/\{\{/g) || []).length, (v.match(/\}\}/g) || []).length, key);
        } else if (['one', 'other', 'zero'].some((f) => f in v)) {
          assert.equal(typeof v.other, 'string', `${key}.other`);
        } else {
          walk(v, key);
        }
      }
    };
    walk(UI, '');
  });
});

describe('UI code', () => {
  it('contains no user-visible English literals (they belong in en.json)', () => {
    // Heuristic: a quoted string of two or more words starting with a capital letter, outside comments.
    const offenders = [];
    for (const [file, source] of sources()) {
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '').replace(/\s\/\/ .*$/gm, '');
      for (const match of code.matchAll(/(['"`])([A-Z][a-z]+(?: [A-Za-z]+)+[.!?]?)\1/g)) offenders.push(`${file}: ${match[2]}`);
    }
    assert.deepEqual(offenders, []);
  });

  it('never assigns innerHTML/outerHTML or uses insertAdjacentHTML/document.write', () => {
    for (const [file, source] of sources()) {
      assert.doesNotMatch(source, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, file);
    }
  });

  it('calls client.request only in api.js', () => {
    for (const [file, source] of sources()) {
      if (file === 'api.js') continue;
      assert.doesNotMatch(source, /\.request\(/, file);
    }
  });
});
