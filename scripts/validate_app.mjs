// Offline validation of a staged Zendesk app folder (what zcli cannot check without credentials).
//
// Rules follow zendesk_apps_support (the validator Zendesk runs on upload) plus this project's
// policy (its warnings promoted to errors); see ../shared/reference/zendesk-zaf.md, "Local
// validation a project can run offline". `validateApp(dir)` returns {errors, warnings}; nothing
// here writes files.

import fs from 'node:fs';
import path from 'node:path';

export const FRAMEWORK_VERSIONS = ['2.0'];
export const LOCALE_RE = /^[a-z]{2,3}(-\w{2,3})?$/;
export const PRODUCTS = {
  support: [
    'top_bar',
    'nav_bar',
    'ticket_sidebar',
    'new_ticket_sidebar',
    'user_sidebar',
    'organization_sidebar',
    'background',
    'modal',
    'ticket_editor',
    'system_top_bar',
  ],
  chat: ['chat_sidebar'],
  standalone_chat: ['chat_sidebar'],
  sell: ['top_bar', 'deal_card', 'lead_card', 'person_card', 'company_card', 'background', 'modal'],
};
export const PARAMETER_TYPES = ['text', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth'];
export const SCOPES = ['header', 'body', 'url', 'jwt_secret_key', 'jwt_claim', 'basic_auth_username', 'basic_auth_password'];
export const BLOCKED_EXTENSIONS = [
  'rar', 'zip', 'gz', 'gzip', 'pdf', 'doc', 'docx', 'avi', 'bin', 'bz', 'bz2', 'csh', 'sh', 'jar', 'mp3',
  'mpeg', 'odt', 'pptx', 'ppt', 'xls', 'xlsx', '7z',
];
const BOOLEAN_KEYS = ['private', 'singleInstall', 'signedUrls', 'requirementsOnly', 'marketingOnly'];
const STRING_KEYS = ['version', 'frameworkVersion', 'defaultLocale', 'remoteInstallationURL', 'termsConditionsURL', 'gaID'];
const LOCATION_BOOLEANS = ['flexible', 'signed', 'autoLoad', 'autoHide'];
const MAX_ZIP_BYTES = 2 * 1024 * 1024;
const SECRETISH_NAME = /token|key|pwd|password|secret/i;
const SECRET_CONTENT = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bxox[abposr]-[0-9A-Za-z-]{10,}/,
];
// Files the build generates or vendors: not scanned for translation keys or http:// hygiene.
const GENERATED = new Set(['assets/zaf_sdk.min.js', 'assets/translations.js']);
// XML namespaces are identifiers, not requests.
const HTTP_ALLOWED = [/http:\/\/www\.w3\.org\//];

/** Parse JSON and report duplicate keys (JSON.parse silently keeps the last one). */
export function parseJsonStrict(text) {
  const value = JSON.parse(text);
  const duplicates = [];
  const stack = [];
  const STRING = /"(?:[^"\\]|\\.)*"/y;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      STRING.lastIndex = i;
      const match = STRING.exec(text);
      const str = JSON.parse(match[0]);
      i += match[0].length;
      const top = stack[stack.length - 1];
      if (top && top.type === 'object' && top.expectKey) {
        if (top.keys.has(str)) {
          const where = stack.map((s) => s.name).filter((n) => n !== null);
          duplicates.push([...where, str].join('.'));
        }
        top.keys.add(str);
        top.expectKey = false;
        top.lastKey = str;
      }
      continue;
    }
    if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      const name = parent && parent.type === 'object' ? parent.lastKey : parent ? '[]' : null;
      stack.push(c === '{' ? { type: 'object', keys: new Set(), expectKey: true, lastKey: null, name } : { type: 'array', name });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top && top.type === 'object') top.expectKey = true;
    }
    i += 1;
  }
  return { value, duplicates };
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isHttpUrl(value) {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && Boolean(url.hostname);
  } catch {
    return false;
  }
}

/** Every file under `dir` (relative, forward slashes), with symlinks reported separately. */
export function listFiles(dir) {
  const files = [];
  const symlinks = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) symlinks.push(child);
      else if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  walk('');
  return { files: files.sort(), symlinks };
}

/** Width/height of a PNG from its IHDR chunk, or null when the bytes are not a PNG. */
export function pngSize(buffer) {
  const signature = '89504e470d0a1a0a';
  if (buffer.length < 24 || buffer.subarray(0, 8).toString('hex') !== signature) return null;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20), colorType: buffer[25] };
}

function lookup(obj, dotted) {
  let node = obj;
  for (const part of dotted.split('.')) {
    if (!isObject(node) || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

/** Translation keys the UI code names literally (`t('search.label')`, `'badge.public'`). */
export function referencedKeys(source, sections) {
  const keys = new Set();
  const LITERAL = /(['"`])([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\1/g;
  for (const match of source.matchAll(LITERAL)) {
    const key = match[2];
    if (sections.has(key.split('.')[0]) && !/\.(js|css|html|json|png|svg)$/.test(key)) keys.add(key);
  }
  const CALL = /\bt\(\s*(['"`])([^'"`$]+)\1/g;
  for (const match of source.matchAll(CALL)) keys.add(match[2]);
  return keys;
}

function validateManifest(manifest, dir, report) {
  const { error, warn } = report;
  if (!isObject(manifest)) {
    error('manifest.json must be a JSON object.');
    return;
  }
  const author = manifest.author;
  if (!isObject(author)) {
    error('manifest.json: missing required field "author" ({name, email, url}).');
  } else {
    for (const field of ['name', 'email', 'url']) {
      if (typeof author[field] !== 'string' || !author[field].trim()) error(`manifest.json: author.${field} must be a non-empty string.`);
    }
    if (typeof author.url === 'string' && !isHttpUrl(author.url)) error(`manifest.json: author.url "${author.url}" is not an http(s) URL with a host.`);
  }
  if (typeof manifest.name !== 'string' || !manifest.name.trim()) error('manifest.json: "name" must be a non-empty string (zcli uses it as the app name).');
  for (const key of BOOLEAN_KEYS) {
    if (key in manifest && typeof manifest[key] !== 'boolean') error(`manifest.json: "${key}" must be true or false.`);
  }
  for (const key of STRING_KEYS) {
    if (key in manifest && typeof manifest[key] !== 'string') error(`manifest.json: "${key}" must be a string.`);
  }
  if (typeof manifest.defaultLocale !== 'string' || !LOCALE_RE.test(manifest.defaultLocale)) {
    error(`manifest.json: "defaultLocale" must be a locale like "en" (got ${JSON.stringify(manifest.defaultLocale)}).`);
  } else if (!fs.existsSync(path.join(dir, 'translations', `${manifest.defaultLocale}.json`))) {
    error(`manifest.json: defaultLocale "${manifest.defaultLocale}" needs translations/${manifest.defaultLocale}.json.`);
  }
  if (typeof manifest.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(manifest.version)) {
    error(`manifest.json: "version" must be a semantic version string like "1.0.0" (got ${JSON.stringify(manifest.version)}).`);
  }
  if (manifest.requirementsOnly || manifest.marketingOnly) {
    error('manifest.json: this app has a sidebar; requirementsOnly/marketingOnly must not be set.');
  }
  if (!FRAMEWORK_VERSIONS.includes(manifest.frameworkVersion)) {
    error(`manifest.json: "frameworkVersion" must be exactly "2.0" (got ${JSON.stringify(manifest.frameworkVersion)}).`);
  }
  if ('noTemplate' in manifest) error('manifest.json: "noTemplate" is not allowed with framework version 2.');
  if ('experiments' in manifest) {
    if (!isObject(manifest.experiments)) error('manifest.json: "experiments" must be an object.');
    else {
      for (const key of Object.keys(manifest.experiments)) {
        if (!['hashParams', 'newCssCompiler'].includes(key)) error(`manifest.json: unknown experiment "${key}".`);
      }
    }
  }
  if ('domainWhitelist' in manifest) {
    const list = manifest.domainWhitelist;
    if (!Array.isArray(list) || !list.every((d) => typeof d === 'string' && d.trim())) {
      error('manifest.json: "domainWhitelist" must be an array of host names.');
    } else {
      for (const host of list) {
        if (/[/:]/.test(host)) error(`manifest.json: domainWhitelist entry "${host}" must be a bare host name (no scheme, port or path).`);
      }
    }
  }
  for (const key of ['remoteInstallationURL', 'termsConditionsURL']) {
    if (typeof manifest[key] === 'string' && key === 'termsConditionsURL' && !isHttpUrl(manifest[key])) error(`manifest.json: "${key}" must be an http(s) URL.`);
  }

  // location
  const location = manifest.location;
  if (!isObject(location) || !Object.keys(location).length) {
    error('manifest.json: missing required field "location".');
  } else {
    for (const [product, locations] of Object.entries(location)) {
      const known = PRODUCTS[product === 'zendesk' ? 'support' : product];
      if (!known) {
        error(`manifest.json: "${product}" is not a Zendesk product (use support, chat, standalone_chat or sell).`);
        continue;
      }
      if (!isObject(locations) || !Object.keys(locations).length) {
        error(`manifest.json: location.${product} must name at least one location.`);
        continue;
      }
      for (const [name, value] of Object.entries(locations)) {
        if (!known.includes(name)) {
          error(`manifest.json: "${name}" is an invalid location in ${product}.`);
          continue;
        }
        const options = typeof value === 'string' ? { url: value } : value;
        if (!isObject(options)) {
          error(`manifest.json: location.${product}.${name} must be a URL string or an options object.`);
          continue;
        }
        for (const key of LOCATION_BOOLEANS) {
          if (key in options && typeof options[key] !== 'boolean') error(`manifest.json: location.${product}.${name}.${key} must be true or false.`);
        }
        const autoLoad = options.autoLoad !== false;
        const url = options.url;
        if (url === undefined || url === null || url === '') {
          if (autoLoad) error(`manifest.json: ${name} location does not specify a URI.`);
          continue;
        }
        if (typeof url !== 'string') {
          error(`manifest.json: location.${product}.${name}.url must be a string.`);
          continue;
        }
        if (url.includes('{{setting.')) continue;
        let absolute = null;
        try {
          absolute = new URL(url);
        } catch {
          absolute = null;
        }
        if (absolute) {
          if (absolute.protocol !== 'https:' && absolute.hostname !== 'localhost') {
            error(`manifest.json: ${url} is either an invalid location URI, refers to a missing asset, or does not use HTTPS.`);
          }
        } else if (!url.startsWith('assets/')) {
          error(`manifest.json: location URL "${url}" must start with assets/ (or be an https URL).`);
        } else if (!fs.existsSync(path.join(dir, url.split(/[?#]/)[0]))) {
          error(`manifest.json: location URL "${url}" refers to a missing asset (no ${url.split(/[?#]/)[0]} in the package).`);
        }
      }
    }
  }

  // parameters
  const params = manifest.parameters === undefined ? [] : manifest.parameters;
  if (!Array.isArray(params)) {
    error('manifest.json: "parameters" must be an array.');
    return;
  }
  const seen = new Set();
  let oauthCount = 0;
  let anySecure = false;
  params.forEach((param, index) => {
    if (!isObject(param) || typeof param.name !== 'string' || !param.name) {
      error(`manifest.json: parameters[${index}] needs a "name".`);
      return;
    }
    const where = `parameter "${param.name}"`;
    if (seen.has(param.name)) error(`manifest.json: duplicate ${where}.`);
    seen.add(param.name);
    if (param.name === 'name') error('manifest.json: a parameter may not be called "name".');
    const type = param.type === undefined ? 'text' : param.type;
    if (!PARAMETER_TYPES.includes(type)) error(`manifest.json: ${where}: "${type}" is an invalid parameter type (use ${PARAMETER_TYPES.join(', ')}).`);
    for (const key of ['required', 'secure']) {
      if (key in param && typeof param[key] !== 'boolean') error(`manifest.json: ${where}: "${key}" must be true or false.`);
    }
    if (type === 'hidden' && param.required === true) error(`manifest.json: ${where}: a hidden parameter cannot be required.`);
    if (type === 'oauth') {
      oauthCount += 1;
      if (param.secure) error(`manifest.json: ${where}: an oauth parameter cannot be secure.`);
    }
    if (param.secure === true) anySecure = true;
    if ('scopes' in param) {
      if (param.secure !== true) error(`manifest.json: ${where}: "scopes" is only allowed on secure parameters.`);
      if (!Array.isArray(param.scopes)) error(`manifest.json: ${where}: "scopes" must be an array.`);
      else if (!param.scopes.length) error(`manifest.json: ${where}: "scopes" cannot be empty.`);
      else {
        const bad = param.scopes.filter((s) => !SCOPES.includes(s));
        if (bad.length) error(`manifest.json: ${where}: invalid scopes ${bad.join(', ')} (allowed: ${SCOPES.join(', ')}).`);
      }
    } else if (param.secure === true) {
      error(`manifest.json: ${where} is secure but has no "scopes" (e.g. ["jwt_secret_key"]); Zendesk warns of token exposure.`);
    }
    if ((param.secure === true || type === 'hidden') && 'default' in param) {
      error(`manifest.json: ${where}: secure or hidden parameters must not have a default (it is not stored securely).`);
    }
    if (type === 'text' && SECRETISH_NAME.test(param.name) && param.secure !== true) {
      error(`manifest.json: ${where} looks like a credential; set "secure": true.`);
    }
    if (type === 'number' && 'default' in param && typeof param.default !== 'number') warn(`manifest.json: ${where}: the default of a number parameter should be a number.`);
    if (type === 'checkbox' && 'default' in param && typeof param.default !== 'boolean') warn(`manifest.json: ${where}: the default of a checkbox parameter should be true or false.`);
  });
  if (oauthCount > 1) error('manifest.json: at most one oauth parameter is allowed.');
  if (anySecure && !(Array.isArray(manifest.domainWhitelist) && manifest.domainWhitelist.length)) {
    error('manifest.json: secure parameters need a non-empty "domainWhitelist" naming the backend host(s).');
  }
}

function validateTranslations(manifest, dir, files, report) {
  const { error, warn } = report;
  const locales = {};
  for (const file of files.filter((f) => f.startsWith('translations/'))) {
    const name = file.slice('translations/'.length);
    if (!name.endsWith('.json') || name.includes('/')) {
      error(`${file}: only translations/<locale>.json files belong in translations/.`);
      continue;
    }
    const locale = name.slice(0, -'.json'.length);
    if (!LOCALE_RE.test(locale)) error(`${file}: "${locale}" is not a valid locale name.`);
    let parsed;
    try {
      parsed = parseJsonStrict(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (e) {
      error(`${file} is not valid JSON: ${e.message}`);
      continue;
    }
    if (parsed.duplicates.length) error(`${file}: duplicate keys ${parsed.duplicates.join(', ')}.`);
    if (!isObject(parsed.value)) {
      error(`${file} must be a JSON object.`);
      continue;
    }
    locales[locale] = parsed.value;
    const paramStrings = lookup(parsed.value, 'app.parameters');
    if (paramStrings !== undefined) {
      if (!isObject(paramStrings)) error(`${file}: app.parameters must be an object.`);
      else {
        for (const [name, leaf] of Object.entries(paramStrings)) {
          if (!isObject(leaf) || typeof leaf.label !== 'string') error(`${file}: Missing required key label on leaf ${name}.`);
        }
      }
    }
  }
  const en = locales.en;
  if (!en) {
    error('translations/en.json is missing.');
    return locales;
  }
  const app = isObject(en.app) ? en.app : {};
  for (const key of ['name', 'short_description', 'long_description', 'installation_instructions']) {
    if (typeof app[key] !== 'string' || !app[key].trim()) error(`translations/en.json: missing required key app.${key}.`);
  }
  if (typeof app.name === 'string' && app.name.length > 40) error(`translations/en.json: app.name is ${app.name.length} characters (40 at most).`);
  if (typeof app.short_description === 'string' && app.short_description.length > 80) {
    error(`translations/en.json: app.short_description is ${app.short_description.length} characters (80 at most).`);
  }
  const params = Array.isArray(manifest && manifest.parameters) ? manifest.parameters : [];
  for (const param of params) {
    if (!param || typeof param.name !== 'string') continue;
    const leaf = lookup(en, `app.parameters.${param.name}`);
    if (!isObject(leaf) || typeof leaf.label !== 'string' || !leaf.label.trim()) {
      error(`translations/en.json: parameter "${param.name}" needs app.parameters.${param.name}.label.`);
    }
    if (!isObject(leaf) || typeof leaf.helpText !== 'string' || !leaf.helpText.trim()) {
      error(`translations/en.json: parameter "${param.name}" needs app.parameters.${param.name}.helpText.`);
    }
  }
  for (const name of Object.keys(lookup(en, 'app.parameters') || {})) {
    if (!params.some((p) => p && p.name === name)) warn(`translations/en.json: app.parameters.${name} has no parameter in manifest.json.`);
  }
  return locales;
}

function validateUiStrings(dir, files, locales, report) {
  const en = locales.en;
  const ui = en && isObject(en.ticket_sidebar) ? en.ticket_sidebar : null;
  if (!ui) {
    report.error('translations/en.json: missing the "ticket_sidebar" strings the sidebar UI uses.');
    return;
  }
  const sections = new Set(Object.keys(ui));
  for (const file of files.filter((f) => f.startsWith('assets/') && f.endsWith('.js') && !GENERATED.has(f))) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const key of referencedKeys(source, sections)) {
      const value = lookup(ui, key);
      const ok = typeof value === 'string' || (isObject(value) && typeof value.other === 'string');
      if (!ok) report.error(`${file}: translation key "ticket_sidebar.${key}" is missing from translations/en.json.`);
    }
  }
}

function validateFiles(dir, files, symlinks, report) {
  const { error, warn } = report;
  for (const link of symlinks) error(`${link} is a symlink; Zendesk rejects packages containing symlinks.`);
  const ignored = fs.existsSync(path.join(dir, '.zcliignore'))
    ? fs.readFileSync(path.join(dir, '.zcliignore'), 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    : [];
  if (files.some((f) => path.posix.basename(f) === 'zcli.apps.config.json')) {
    error('zcli.apps.config.json must not be staged: it may hold secret setting values and zcli would package it.');
  }
  if (!ignored.includes('zcli.apps.config.json')) error('.zcliignore must list zcli.apps.config.json.');
  let total = 0;
  for (const file of files) {
    if (file.startsWith('tmp/') || file === '.zcliignore') continue;
    const full = path.join(dir, file);
    const bytes = fs.statSync(full).size;
    total += bytes;
    const ext = path.posix.extname(file).slice(1).toLowerCase();
    if (BLOCKED_EXTENSIONS.includes(ext)) error(`${file}: .${ext} files are not allowed in a Zendesk app package.`);
    if (file.endsWith('.svg')) {
      const svg = fs.readFileSync(full, 'utf8');
      if (/<image\b/i.test(svg) || /<script\b/i.test(svg)) error(`${file}: SVGs must not embed bitmaps or scripts.`);
    }
    if (/\.(js|mjs|html|json|css)$/.test(file) && !GENERATED.has(file)) {
      const text = fs.readFileSync(full, 'utf8');
      for (const pattern of SECRET_CONTENT) {
        if (pattern.test(text)) error(`${file}: contains something that looks like a real credential (${pattern}).`);
      }
      if (/\.(js|html)$/.test(file)) {
        const insecure = (text.match(/http:\/\/[^\s'"`)]+/g) || []).filter((u) => !HTTP_ALLOWED.some((re) => re.test(u)));
        if (insecure.length) warn(`${file}: plain http:// URL(s) ${insecure.slice(0, 3).join(', ')} (Zendesk warns about insecure requests).`);
      }
    }
  }
  if (total > MAX_ZIP_BYTES) warn(`the staged app is ${(total / 1048576).toFixed(2)} MB before compression; private app zips are limited to 2 MB.`);

  for (const [name, sizes] of [
    ['assets/logo.png', [[320, 320]]],
    ['assets/logo-small.png', [[128, 128]]],
    ['assets/banner.png', [[830, 200], [1660, 400]]],
  ]) {
    if (!files.includes(name)) {
      if (name !== 'assets/banner.png') warn(`${name} is missing; Zendesk shows a default icon (Marketplace listings need one).`);
      continue;
    }
    const size = pngSize(fs.readFileSync(path.join(dir, name)));
    if (!size) error(`${name} is not a PNG file.`);
    else if (!sizes.some(([w, h]) => size.width === w && size.height === h)) {
      error(`${name} is ${size.width}x${size.height}; it must be ${sizes.map(([w, h]) => `${w}x${h}`).join(' or ')}.`);
    }
  }
}

function validateAssets(dir, files, report) {
  const { error } = report;
  if (!files.includes('assets/zaf_sdk.min.js')) error('assets/zaf_sdk.min.js (the bundled ZAF SDK) is missing.');
  for (const file of files.filter((f) => f.startsWith('assets/') && f.endsWith('.html'))) {
    const html = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const match of html.matchAll(/\b(?:src|href)\s*=\s*"([^"]+)"/g)) {
      const ref = match[1];
      if (/^(?:[a-z]+:|\/\/|#|data:)/i.test(ref)) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), ref.split(/[?#]/)[0]));
      if (!files.includes(target)) error(`${file}: references "${ref}", which is not in the package.`);
    }
  }
  for (const file of files.filter((f) => f.startsWith('assets/') && f.endsWith('.js') && !GENERATED.has(f))) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const match of source.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]));
      if (!files.includes(target)) error(`${file}: imports "${match[1]}", which is not in the package.`);
    }
  }
}

/** Validate a staged app folder: {errors: string[], warnings: string[]}. */
export function validateApp(dir) {
  const errors = [];
  const warnings = [];
  const report = { error: (m) => errors.push(m), warn: (m) => warnings.push(m) };
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    const nested = fs.existsSync(dir) ? fs.readdirSync(dir).find((d) => fs.existsSync(path.join(dir, d, 'manifest.json'))) : null;
    errors.push(nested ? `manifest.json must be at the package root, but ${nested}/manifest.json was found.` : 'manifest.json is missing from the package root.');
    return { errors, warnings };
  }
  let manifest = null;
  try {
    const parsed = parseJsonStrict(fs.readFileSync(manifestPath, 'utf8'));
    manifest = parsed.value;
    if (parsed.duplicates.length) errors.push(`manifest.json: duplicate keys ${parsed.duplicates.join(', ')}.`);
  } catch (e) {
    errors.push(`manifest.json is not valid JSON: ${e.message}`);
    return { errors, warnings };
  }
  const { files, symlinks } = listFiles(dir);
  validateManifest(manifest, dir, report);
  const locales = validateTranslations(manifest, dir, files, report);
  validateUiStrings(dir, files, locales, report);
  validateFiles(dir, files, symlinks, report);
  validateAssets(dir, files, report);
  return { errors, warnings };
}
