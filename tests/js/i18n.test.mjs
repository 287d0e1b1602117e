import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createTranslator, interpolate, lookup, pickLocale } from '../../zendesk_app/assets/i18n.js';

const STRINGS = {
  ticket_sidebar: {
    hello: 'Hello {{name}}!',
    nested: { deep: 'Deep {{ a.b }}' },
    items: { zero: 'No items', one: '1 item', other: '{{count}} items' },
    plain_plural: { one: 'one thing', other: 'many things' },
    repeat: '{{x}} and {{x}}',
  },
};

describe('interpolate', () => {
  it('replaces {{var}} (with spaces and dotted paths) and keeps unknown placeholders visible', () => {
    assert.equal(interpolate('Hi {{name}}', { name: 'Ann' }), 'Hi Ann');
    assert.equal(interpolate('Hi {{ name }}', { name: 'Ann' }), 'Hi Ann');
    assert.equal(interpolate('{{a.b}}', { a: { b: 3 } }), '3');
    assert.equal(interpolate('Hi {{name}}', {}), 'Hi {{name}}');
    assert.equal(interpolate('{{n}}', { n: 0 }), '0');
  });

  it('does not interpret markup: values are plain text for text nodes', () => {
    assert.equal(interpolate('{{x}}', { x: '<b>' }), '<b>');
  });
});

describe('createTranslator', () => {
  const t = createTranslator(STRINGS, { scope: 'ticket_sidebar' });

  it('looks keys up under the scope and interpolates', () => {
    assert.equal(t('hello', { name: 'Ann' }), 'Hello Ann!');
    assert.equal(t('nested.deep', { a: { b: 'x' } }), 'Deep x');
    assert.equal(t('repeat', { x: 1 }), '1 and 1');
  });

  it('chooses plural forms by count', () => {
    assert.equal(t('items', { count: 0 }), 'No items');
    assert.equal(t('items', { count: 1 }), '1 item');
    assert.equal(t('items', { count: 5 }), '5 items');
    assert.equal(t('plain_plural', { count: 0 }), 'many things');
    assert.equal(t('plain_plural'), 'many things');
  });

  it('returns the full key for a missing key and reports it once', () => {
    const missing = [];
    const tr = createTranslator(STRINGS, { scope: 'ticket_sidebar', onMissing: (k) => missing.push(k) });
    assert.equal(tr('nope.never'), 'ticket_sidebar.nope.never');
    assert.equal(tr('nope.never'), 'ticket_sidebar.nope.never');
    assert.equal(tr('nested'), 'ticket_sidebar.nested');
    assert.deepEqual(missing, ['ticket_sidebar.nope.never', 'ticket_sidebar.nested']);
  });

  it('falls back to another bundle (English) for keys a locale lacks', () => {
    const de = { ticket_sidebar: { hello: 'Hallo {{name}}!' } };
    const tr = createTranslator(de, { scope: 'ticket_sidebar', fallback: STRINGS, locale: 'de' });
    assert.equal(tr('hello', { name: 'Ann' }), 'Hallo Ann!');
    assert.equal(tr('items', { count: 2 }), '2 items');
    assert.equal(tr.locale, 'de');
  });

  it('t.has tells whether a key exists', () => {
    assert.equal(t.has('hello'), true);
    assert.equal(t.has('nothing'), false);
  });

  it('works without a scope', () => {
    assert.equal(createTranslator(STRINGS)('ticket_sidebar.hello', { name: 'B' }), 'Hello B!');
  });
});

describe('pickLocale / lookup', () => {
  it('picks exact, then language, then the fallback', () => {
    const bundles = { en: {}, de: {}, 'pt-BR': {} };
    assert.equal(pickLocale(bundles, 'de'), 'de');
    assert.equal(pickLocale(bundles, 'de-AT'), 'de');
    assert.equal(pickLocale(bundles, 'pt-br'), 'pt-BR');
    assert.equal(pickLocale(bundles, 'pt_BR'), 'pt-BR');
    assert.equal(pickLocale(bundles, 'fr'), 'en');
    assert.equal(pickLocale(bundles, undefined), 'en');
  });

  it('lookup walks dotted keys', () => {
    assert.equal(lookup({ a: { b: { c: 1 } } }, 'a.b.c'), 1);
    assert.equal(lookup({ a: 1 }, 'a.b'), undefined);
  });
});
