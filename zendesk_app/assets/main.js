// Entry point: translations, ZAFClient.init(), wait for app.registered, then the app.

import { createApi } from './api.js';
import { createApp } from './app.js';
import { h, icon } from './dom.js';
import { createTranslator, pickLocale } from './i18n.js';
import { ICONS } from './icons.js';
import { createResizer } from './resize.js';
import { readSettings } from './settings.js';

const REGISTER_TIMEOUT_MS = 15000;

/** Translations: inlined by the build (assets/translations.js), or read from ../translations/ when unbuilt. */
async function loadBundles() {
  try {
    const module = await import('./translations.js');
    if (module && module.default && module.default.en) return module.default;
  } catch {
    // not built: fall back to the source file
  }
  try {
    const response = await fetch(new URL('../translations/en.json', import.meta.url));
    if (response.ok) return { en: await response.json() };
  } catch {
    // nothing to read: keys will show
  }
  return { en: {} };
}

function translator(bundles, locale) {
  const name = pickLocale(bundles, locale);
  return createTranslator(bundles[name] || bundles.en, {
    scope: 'ticket_sidebar',
    fallback: bundles.en,
    locale: name,
    onMissing: (key) => console.warn(`[photoshelter] missing translation: ${key}`),
  });
}

function notice(root, t, titleKey, textKey) {
  root.removeAttribute('aria-busy');
  root.replaceChildren(
    h(
      'div',
      { class: 'app' },
      h(
        'div',
        { class: 'callout callout--blue notice', role: 'status', 'data-testid': 'notice' },
        icon(ICONS.info, { size: 16, className: 'icon callout-icon' }),
        h('div', { class: 'callout-body' }, h('p', { class: 'callout-title' }, t(titleKey)), h('p', { class: 'callout-text' }, t(textKey))),
      ),
    ),
  );
}

async function boot() {
  const root = document.getElementById('app');
  const bundles = await loadBundles();
  let t = translator(bundles, navigator.language);
  document.title = t('page.title');

  const factory = window.ZAFClient;
  const client = factory && typeof factory.init === 'function' ? factory.init() : false;
  if (!client) {
    notice(root, t, 'outside.title', 'outside.text');
    return;
  }
  const resizer = createResizer(client, root);

  const timer = setTimeout(() => notice(root, t, 'no_host.title', 'no_host.text'), REGISTER_TIMEOUT_MS);
  let started = false;
  client.on('app.registered', async () => {
    clearTimeout(timer);
    if (started) return;
    started = true;
    const metadata = await client.metadata().catch(() => ({}));
    const settings = readSettings(metadata && metadata.settings);
    try {
      const { currentUser } = await client.get('currentUser');
      if (currentUser && currentUser.locale) t = translator(bundles, currentUser.locale);
    } catch {
      // keep the browser locale
    }
    document.documentElement.lang = t.locale;
    document.title = t('page.title');
    createApp({ client, api: createApi(client), t, settings, root });
    resizer.schedule();
  });
}

boot();
