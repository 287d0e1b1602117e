// Translations: a tiny `t(key, vars)` over the nested en.json shape, with {{var}} interpolation.
// Pure module (no DOM): the strings are passed in, main.js decides where they come from.

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/** Walk a dotted key through nested objects; undefined when any step is missing. */
export function lookup(strings, key) {
  let node = strings;
  for (const part of String(key).split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

/** Replace {{name}} with vars.name; unknown placeholders are left as they are (visible, not blank). */
export function interpolate(template, vars = {}) {
  return String(template).replace(PLACEHOLDER, (whole, name) => {
    const value = lookup(vars, name);
    return value === undefined || value === null ? whole : String(value);
  });
}

/** The best available locale for a requested one: exact, then the language part, then the fallback. */
export function pickLocale(available, requested, fallback = 'en') {
  const wanted = String(requested || '').replace('_', '-').toLowerCase();
  const names = Object.keys(available || {});
  const exact = names.find((name) => name.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split('-')[0];
  const partial = names.find((name) => name.toLowerCase() === language);
  return partial || fallback;
}

function pluralForm(node, count, locale) {
  if (typeof count !== 'number') return node.other;
  if (count === 0 && 'zero' in node) return node.zero;
  let category = 'other';
  try {
    category = new Intl.PluralRules(locale).select(count);
  } catch {
    category = count === 1 ? 'one' : 'other';
  }
  return node[category] ?? node.other;
}

/**
 * Build `t(key, vars)`.
 * - `scope` is prefixed to every key (`t('search.placeholder')` reads `ticket_sidebar.search.placeholder`);
 * - a value that is an object with `one`/`other` (and optional `zero`) is chosen by `vars.count`;
 * - a key missing from `strings` is looked up in `fallback`, then the key itself is returned
 *   (and reported once through `onMissing`) so a gap shows up as a key, never as a blank.
 */
export function createTranslator(strings, { scope = '', fallback = null, locale = 'en', onMissing = null } = {}) {
  const reported = new Set();
  function resolve(fullKey) {
    let value = lookup(strings, fullKey);
    if (value === undefined && fallback) value = lookup(fallback, fullKey);
    return value;
  }
  function t(key, vars = {}) {
    const fullKey = scope ? `${scope}.${key}` : key;
    let value = resolve(fullKey);
    if (value !== null && typeof value === 'object' && 'other' in value) {
      value = pluralForm(value, vars.count, locale);
    }
    if (typeof value !== 'string') {
      if (onMissing && !reported.has(fullKey)) {
        reported.add(fullKey);
        onMissing(fullKey);
      }
      return fullKey;
    }
    return interpolate(value, vars);
  }
  t.has = (key) => resolve(scope ? `${scope}.${key}` : key) !== undefined;
  t.locale = locale;
  return t;
}
