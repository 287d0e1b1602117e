// The bundled ZAF SDK, driven over its real postMessage protocol by a fake host, carries the
// request options api.js builds unchanged (what the Zendesk proxy and the workbench receive).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { before, describe, it } from 'node:test';

import { createApi } from '../../zendesk_app/assets/api.js';
import { ROOT } from './helpers.mjs';

const ENTRY = path.join(ROOT, 'node_modules', 'zendesk_app_framework_sdk', 'lib', 'index.js');
const skip = fs.existsSync(ENTRY) ? false : 'node_modules missing: run `npm ci`';
const ORIGIN = 'http://127.0.0.1:5000';
let bundle;

/** A window for the SDK: location with origin/app_guid, a parent that records postMessage. */
function sandbox(search) {
  const listeners = [];
  const sent = [];
  const parent = { postMessage: (data, target) => sent.push({ data: JSON.parse(data), target }) };
  const win = {
    console,
    setTimeout,
    clearTimeout,
    Promise,
    parent,
    addEventListener: (type, fn) => type === 'message' && listeners.push(fn),
    document: { location: { search, hash: '' }, addEventListener() {}, body: {} },
  };
  win.window = win;
  win.self = win;
  vm.createContext(win);
  vm.runInContext(bundle, win);
  const deliver = (message) => listeners.forEach((fn) => fn({ origin: ORIGIN, source: parent, data: JSON.stringify(message) }));
  return { win, sent, deliver };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('bundled ZAF SDK', { skip }, () => {
  before(async () => {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      format: 'iife',
      globalName: 'ZAFClient',
      minify: true,
      write: false,
    });
    bundle = result.outputFiles[0].text;
  });

  it('defines window.ZAFClient.init, which returns false outside Zendesk', () => {
    const { win, sent } = sandbox('');
    assert.equal(typeof win.ZAFClient.init, 'function');
    assert.equal(win.ZAFClient.init(), false);
    assert.equal(sent.length, 0);
  });

  it('handshakes, registers and proxies api.js requests with the exact options', async () => {
    const { win, sent, deliver } = sandbox(`?origin=${encodeURIComponent(ORIGIN)}&app_guid=guid-1`);
    const client = win.ZAFClient.init();
    assert.ok(client);
    assert.equal(sent[0].data.key, 'iframe.handshake');
    assert.equal(sent[0].target, ORIGIN);

    let registered = false;
    client.on('app.registered', () => {
      registered = true;
    });
    deliver({
      key: 'zaf.app.registered',
      message: {
        metadata: { appId: 1, installationId: 2, settings: { backend_url: 'http://127.0.0.1:5000/', approved_only: false } },
        context: { instanceGuid: 'guid-1', product: 'support', account: { subdomain: 'demo' }, location: 'ticket_sidebar', ticketId: 42 },
      },
    });
    assert.equal(registered, true);

    const api = createApi(client);
    const pending = api.search({ q: 'trail' });
    // identity: metadata and context come from app.registered, currentUser from a `get`
    for (let i = 0; i < 5 && !sent.some((m) => m.data.request === 'get'); i++) await tick();
    const get = sent.find((m) => m.data.request === 'get');
    assert.deepEqual(get.data.params, ['currentUser']);
    deliver({ id: get.data.id, result: { currentUser: { id: 9, name: 'Agent', email: 'a@example.com', locale: 'en' } } });

    for (let i = 0; i < 5 && !sent.some((m) => /^request:/.test(m.data.key)); i++) await tick();
    const request = sent.find((m) => /^request:/.test(m.data.key));
    assert.deepEqual(request.data.message, {
      url: 'http://127.0.0.1:5000/api/v1/search?q=trail&kind=all&page=1&per_page=24',
      type: 'GET',
      contentType: 'application/json',
      secure: true,
      cors: false,
      jwt: {
        algorithm: 'HS256',
        secret_key: '{{setting.shared_secret}}',
        expiry: 300,
        claims: { iss: 'demo.zendesk.com', sub: '9', aud: 'photoshelter-for-zendesk', ticket_id: 42 },
      },
      headers: { Authorization: 'Bearer {{jwt.token}}' },
    });
    deliver({ key: `zaf.${request.data.key}.done`, message: { responseArgs: [{ items: [], paging: { total: 0 } }, 'success', {}] } });
    // (parsed inside the SDK's realm: compare as JSON)
    assert.deepEqual(JSON.parse(JSON.stringify(await pending)), { items: [], paging: { total: 0 } });

    // a failure travels back as the xhr-like first response argument
    const failing = api.media('I0000sIgWVtMRMI8');
    for (let i = 0; i < 5 && sent.filter((m) => /^request:/.test(m.data.key)).length < 2; i++) await tick();
    const second = sent.filter((m) => /^request:/.test(m.data.key))[1];
    deliver({
      key: `zaf.${second.data.key}.fail`,
      message: {
        responseArgs: [
          { status: 429, responseJSON: { error: { code: 'rate_limited', message: 'Slow down.', details: { retry_after: 5 } } } },
          'error',
          'Too Many Requests',
        ],
      },
    });
    await assert.rejects(failing, { status: 429, code: 'rate_limited', message: 'Slow down.', retryAfter: 5 });
  });
});
