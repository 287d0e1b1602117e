import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_ITEMS } from '../../zendesk_app/assets/delivery.js';
import { createSelection, selectAllLabel } from '../../zendesk_app/assets/selection.js';
import { uiTranslator } from './helpers.mjs';

const media = (n) => ({ id: `I0000${String(n).padStart(11, '0')}`, kind: 'media', file_name: `f${n}.jpg` });

describe('selection', () => {
  it('adds, removes, toggles and clears, keeping the order of selection', () => {
    const selection = createSelection();
    const changes = [];
    selection.subscribe((change) => changes.push(change.type));
    assert.deepEqual(selection.add(media(2)), { ok: true });
    assert.deepEqual(selection.add(media(1)), { ok: true });
    assert.deepEqual(selection.ids(), [media(2).id, media(1).id]);
    assert.equal(selection.has(media(1).id), true);
    assert.equal(selection.size(), 2);
    assert.equal(selection.remove(media(2).id), true);
    assert.equal(selection.remove(media(2).id), false);
    selection.toggle(media(3));
    selection.toggle(media(3));
    selection.toggle(media(4), true);
    assert.deepEqual(selection.ids(), [media(1).id, media(4).id]);
    selection.clear();
    selection.clear();
    assert.equal(selection.size(), 0);
    assert.deepEqual(changes, ['add', 'add', 'remove', 'add', 'remove', 'add', 'clear']);
  });

  it('adding an item twice keeps one entry (with the fresher fields) and does not notify', () => {
    const selection = createSelection();
    let calls = 0;
    selection.subscribe(() => calls++);
    selection.add(media(1));
    selection.add({ ...media(1), file_size: 10 });
    assert.equal(selection.size(), 1);
    assert.equal(selection.items()[0].file_size, 10);
    assert.equal(calls, 1);
  });

  it('stops at 50 and says so', () => {
    const selection = createSelection();
    assert.equal(selection.max, MAX_ITEMS);
    assert.equal(MAX_ITEMS, 50);
    for (let i = 0; i < 50; i++) assert.equal(selection.add(media(i)).ok, true);
    assert.equal(selection.isFull(), true);
    const seen = [];
    selection.subscribe((change) => seen.push(change));
    assert.deepEqual(selection.add(media(99)), { ok: false, reason: 'limit' });
    assert.deepEqual(seen, [{ type: 'limit', id: media(99).id }]);
    assert.equal(selection.size(), 50);
    assert.deepEqual(selection.toggle(media(99), true), { ok: false, reason: 'limit' });
    selection.remove(media(0).id);
    assert.equal(selection.add(media(99)).ok, true);
  });

  it('takes media only', () => {
    const selection = createSelection({ max: 3 });
    assert.deepEqual(selection.add({ id: 'G0000P9vWEyabepJ', kind: 'gallery' }), { ok: false, reason: 'invalid' });
    assert.deepEqual(selection.add({ id: 'not-an-id', kind: 'media' }), { ok: false, reason: 'invalid' });
    assert.deepEqual(selection.add(null), { ok: false, reason: 'invalid' });
    assert.equal(selection.size(), 0);
  });

  it('unsubscribes', () => {
    const selection = createSelection();
    let calls = 0;
    const off = selection.subscribe(() => calls++);
    off();
    selection.add(media(1));
    assert.equal(calls, 0);
  });
});

describe('select all label', () => {
  const t = uiTranslator();
  const text = (args) => {
    const { key, count } = selectAllLabel(args);
    return t(key, { count });
  };

  it('says "the N shown" while the gallery has more images than are loaded', () => {
    assert.equal(text({ loaded: 12, total: 18 }), 'Select the 12 shown');
    assert.equal(text({ loaded: 1, total: 5 }), 'Select the 1 shown');
  });

  it('says "all" once every image is loaded (or the total is unknown)', () => {
    assert.equal(text({ loaded: 18, total: 18 }), 'Select all 18');
    assert.equal(text({ loaded: 7, total: null }), 'Select all 7');
    assert.equal(text({ loaded: 1, total: 1 }), 'Select 1 image');
  });

  it('offers to unselect when everything loaded is selected', () => {
    assert.equal(text({ loaded: 12, total: 18, allSelected: true }), 'Unselect all');
  });
});
