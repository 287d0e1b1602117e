// The build stages a valid app; the offline validator catches what Zendesk would reject.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { buildApp } from '../../scripts/build_app.mjs';
import { parseJsonStrict, pngSize, validateApp } from '../../scripts/validate_app.mjs';
import { ROOT } from './helpers.mjs';

const HAS_DEPS = fs.existsSync(path.join(ROOT, 'node_modules', 'esbuild')) && fs.existsSync(path.join(ROOT, 'node_modules', 'zendesk_app_framework_sdk'));
const skip = HAS_DEPS ? false : 'node_modules missing: run `npm ci`';
let tmp;
let staged;

function copyStaged(name) {
  const dir = path.join(tmp, name);
  fs.cpSync(staged, dir, { recursive: true });
  return dir;
}

function editJson(file, edit) {
  const value = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(value);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

const errorsOf = (dir) => validateApp(dir).errors;

describe('build_app', { skip }, () => {
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'psz-app-'));
    staged = path.join(tmp, 'app');
    const result = await buildApp({ root: ROOT, out: staged });
    assert.deepEqual(result.errors, []);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('stages manifest, assets, translations, SDK bundle, translations module and .zcliignore', () => {
    for (const file of [
      'manifest.json',
      'assets/iframe.html',
      'assets/main.js',
      'assets/api.js',
      'assets/styles.css',
      'assets/zaf_sdk.min.js',
      'assets/translations.js',
      'assets/logo.png',
      'assets/logo-small.png',
      'translations/en.json',
      '.zcliignore',
    ]) {
      assert.ok(fs.existsSync(path.join(staged, file)), file);
    }
    assert.match(fs.readFileSync(path.join(staged, '.zcliignore'), 'utf8'), /^zcli\.apps\.config\.json$/m);
    assert.equal(fs.existsSync(path.join(staged, 'zcli.apps.config.json')), false);
  });

  it('inlines the translations as an ES module', async () => {
    const module = await import(path.join(staged, 'assets', 'translations.js'));
    assert.equal(module.default.en.ticket_sidebar.filter.all, 'All');
  });

  it('ships logos of the sizes Zendesk expects', () => {
    assert.deepEqual(pngSize(fs.readFileSync(path.join(staged, 'assets/logo.png'))).width, 320);
    assert.deepEqual(pngSize(fs.readFileSync(path.join(staged, 'assets/logo-small.png'))).height, 128);
  });

  it('does not copy a zcli.apps.config.json from the sources', async () => {
    const root = path.join(tmp, 'src');
    fs.cpSync(path.join(ROOT, 'zendesk_app'), path.join(root, 'zendesk_app'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'manifest.json'), path.join(root, 'manifest.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, 'zendesk_app', 'assets', 'zcli.apps.config.json'), '{"parameters": {"shared_secret": "x"}}');
    const result = await buildApp({ root, out: path.join(tmp, 'src-out') });
    assert.deepEqual(result.errors, []);
    assert.equal(fs.existsSync(path.join(tmp, 'src-out', 'assets', 'zcli.apps.config.json')), false);
  });

  describe('validateApp', () => {
    it('rejects a staged zcli.apps.config.json', () => {
      const dir = copyStaged('zcli-config');
      fs.writeFileSync(path.join(dir, 'zcli.apps.config.json'), '{}');
      assert.ok(errorsOf(dir).some((e) => e.includes('zcli.apps.config.json must not be staged')));
    });

    it('rejects a secure parameter without scopes, or with a default', () => {
      const dir = copyStaged('scopes');
      editJson(path.join(dir, 'manifest.json'), (m) => {
        const secret = m.parameters.find((p) => p.name === 'shared_secret');
        delete secret.scopes;
        secret.default = 'x';
      });
      const errors = errorsOf(dir);
      assert.ok(errors.some((e) => e.includes('"shared_secret" is secure but has no "scopes"')), errors.join('\n'));
      assert.ok(errors.some((e) => e.includes('must not have a default')), errors.join('\n'));
    });

    it('rejects bad scopes and a credential-like parameter that is not secure', () => {
      const dir = copyStaged('bad-params');
      editJson(path.join(dir, 'manifest.json'), (m) => {
        m.parameters.find((p) => p.name === 'shared_secret').scopes = ['jwt_secret_key', 'cookie'];
        m.parameters.push({ name: 'api_token', type: 'text' });
        m.parameters.push({ name: 'flag', type: 'password' });
      });
      const errors = errorsOf(dir).join('\n');
      assert.match(errors, /invalid scopes cookie/);
      assert.match(errors, /"api_token" looks like a credential/);
      assert.match(errors, /"password" is an invalid parameter type/);
      assert.match(errors, /parameter "api_token" needs app\.parameters\.api_token\.label/);
    });

    it('requires label and helpText for every parameter in en.json', () => {
      const dir = copyStaged('help');
      editJson(path.join(dir, 'translations', 'en.json'), (en) => {
        delete en.app.parameters.approved_only.helpText;
      });
      assert.deepEqual(errorsOf(dir), ['translations/en.json: parameter "approved_only" needs app.parameters.approved_only.helpText.']);
    });

    it('rejects a location pointing at a missing file, a non-https URL and framework 2', () => {
      const dir = copyStaged('location');
      editJson(path.join(dir, 'manifest.json'), (m) => {
        m.location.support.ticket_sidebar.url = 'assets/missing.html';
        m.location.support.nav_bar = 'http://127.0.0.1:5000/x';
        m.location.support.bogus = 'assets/iframe.html';
        m.frameworkVersion = '2';
      });
      const errors = errorsOf(dir).join('\n');
      assert.match(errors, /refers to a missing asset/);
      assert.match(errors, /does not use HTTPS/);
      assert.match(errors, /"bogus" is an invalid location in support/);
      assert.match(errors, /"frameworkVersion" must be exactly "2.0"/);
    });

    it('requires author fields, a valid default locale and an en.json app.name', () => {
      const dir = copyStaged('author');
      editJson(path.join(dir, 'manifest.json'), (m) => {
        m.author = { name: 'x', email: 'y', url: 'not a url' };
        m.defaultLocale = 'english';
      });
      editJson(path.join(dir, 'translations', 'en.json'), (en) => {
        delete en.app.name;
      });
      const errors = errorsOf(dir).join('\n');
      assert.match(errors, /author\.url "not a url"/);
      assert.match(errors, /"defaultLocale" must be a locale/);
      assert.match(errors, /missing required key app\.name/);
    });

    it('reports duplicate manifest keys', () => {
      const dir = copyStaged('dupes');
      const text = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8').replace('"private": true,', '"private": true,\n  "private": false,');
      fs.writeFileSync(path.join(dir, 'manifest.json'), text);
      assert.ok(errorsOf(dir).some((e) => e.includes('duplicate keys private')));
    });

    it('rejects blocked file types, symlinks, broken asset references and missing UI strings', () => {
      const dir = copyStaged('files');
      fs.writeFileSync(path.join(dir, 'assets', 'deploy.sh'), 'echo hi');
      fs.symlinkSync(path.join(dir, 'assets', 'main.js'), path.join(dir, 'assets', 'link.js'));
      fs.appendFileSync(path.join(dir, 'assets', 'main.js'), "\nimport './nowhere.js';\nexport { x } from './gone.js';\nt('search.not_a_key');\n");
      fs.writeFileSync(path.join(dir, 'assets', 'iframe.html'), fs.readFileSync(path.join(dir, 'assets', 'iframe.html'), 'utf8').replace('styles.css', 'style.css'));
      const errors = errorsOf(dir).join('\n');
      assert.match(errors, /\.sh files are not allowed/);
      assert.match(errors, /link\.js is a symlink/);
      assert.match(errors, /imports "\.\/gone\.js"/);
      assert.match(errors, /references "style\.css"/);
      assert.match(errors, /"ticket_sidebar\.search\.not_a_key" is missing/);
    });

    it('rejects logos of the wrong size and a missing SDK bundle', () => {
      const dir = copyStaged('logos');
      fs.copyFileSync(path.join(dir, 'assets', 'logo-small.png'), path.join(dir, 'assets', 'logo.png'));
      fs.rmSync(path.join(dir, 'assets', 'zaf_sdk.min.js'));
      const errors = errorsOf(dir).join('\n');
      assert.match(errors, /assets\/logo\.png is 128x128; it must be 320x320/);
      assert.match(errors, /zaf_sdk\.min\.js \(the bundled ZAF SDK\) is missing/);
    });

    it('finds a manifest that is not at the root', () => {
      const dir = path.join(tmp, 'nested');
      fs.cpSync(staged, path.join(dir, 'app'), { recursive: true });
      assert.deepEqual(validateApp(dir).errors, ['manifest.json must be at the package root, but app/manifest.json was found.']);
    });
  });
});

describe('parseJsonStrict', () => {
  it('finds duplicate keys at any depth, but not equal keys in different objects', () => {
    assert.deepEqual(parseJsonStrict('{"a": 1, "b": {"c": 1, "c": 2}, "d": [{"e": 1}, {"e": 2}]}').duplicates, ['b.c']);
    assert.deepEqual(parseJsonStrict('{"a": "x\\"y", "a": 2}').duplicates, ['a']);
    assert.deepEqual(parseJsonStrict('{"a": {"k": 1}, "b": {"k": 1}}').duplicates, []);
    assert.throws(() => parseJsonStrict('{'));
  });
});
