import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  buildRequestOptions,
  createApi,
  normaliseError,
  parseRetryAfter,
  troubleshootBody,
  withQuery,
} from '../../zendesk_app/assets/api.js';
import { fakeClient } from './helpers.mjs';

const IDENTITY = { backendUrl: 'https://ps.example.com', subdomain: 'acme', userId: 1234, ticketId: 4242 };
const JWT = (claims) => ({ algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', expiry: 300, claims });

describe('buildRequestOptions', () => {
  it('builds the exact proxied, JWT-signed GET', () => {
    assert.deepEqual(buildRequestOptions(IDENTITY, 'GET', '/api/v1/search?q=trail'), {
      url: 'https://ps.example.com/api/v1/search?q=trail',
      type: 'GET',
      contentType: 'application/json',
      secure: true,
      cors: false,
      jwt: JWT({ iss: 'acme.zendesk.com', sub: '1234', aud: 'photoshelter-for-zendesk', ticket_id: 4242 }),
      headers: { Authorization: 'Bearer {{jwt.token}}' },
    });
  });

  it('JSON-encodes the body of a POST', () => {
    const options = buildRequestOptions(IDENTITY, 'post', '/api/v1/troubleshoot', { url: 'https://x/G0000' });
    assert.equal(options.type, 'POST');
    assert.equal(options.data, '{"url":"https://x/G0000"}');
    assert.equal(options.contentType, 'application/json');
  });

  it('never sends a body with GET', () => {
    assert.equal('data' in buildRequestOptions(IDENTITY, 'GET', '/x', { a: 1 }), false);
  });

  it('strips trailing slashes of the backend URL and adds a leading one to the path', () => {
    const identity = { ...IDENTITY, backendUrl: 'https://ps.example.com/base//' };
    assert.equal(buildRequestOptions(identity, 'GET', '/api/v1/media/I1').url, 'https://ps.example.com/base/api/v1/media/I1');
    assert.equal(buildRequestOptions(identity, 'GET', 'api/v1/media/I1').url, 'https://ps.example.com/base/api/v1/media/I1');
  });

  it('sends sub as a string and ticket_id as a number; leaves ticket_id out without a ticket', () => {
    const claims = buildRequestOptions({ ...IDENTITY, ticketId: '17' }, 'GET', '/x').jwt.claims;
    assert.equal(claims.sub, '1234');
    assert.equal(claims.ticket_id, 17);
    const none = buildRequestOptions({ ...IDENTITY, ticketId: null }, 'GET', '/x').jwt.claims;
    assert.deepEqual(none, { iss: 'acme.zendesk.com', sub: '1234', aud: 'photoshelter-for-zendesk' });
  });

  it('never puts the secret itself anywhere, only the placeholder', () => {
    const text = JSON.stringify(buildRequestOptions(IDENTITY, 'POST', '/x', { id: 'G' }));
    assert.match(text, /\{\{setting\.shared_secret\}\}/);
    assert.match(text, /Bearer \{\{jwt\.token\}\}/);
  });
});

describe('withQuery / troubleshootBody', () => {
  it('encodes query values and skips null/undefined', () => {
    assert.equal(withQuery('/s', { q: 'a b&c', kind: 'all', page: 2, x: undefined, y: null }), '/s?q=a%20b%26c&kind=all&page=2');
    assert.equal(withQuery('/s', {}), '/s');
  });

  it('sends a bare id as {id} and anything else as {url}', () => {
    assert.deepEqual(troubleshootBody(' G0000P9vWEyabepJ '), { id: 'G0000P9vWEyabepJ' });
    assert.deepEqual(troubleshootBody('I0000sIgWVtMRMI8'), { id: 'I0000sIgWVtMRMI8' });
    assert.deepEqual(troubleshootBody('https://brand.photoshelter.com/gallery/x/G0000P9vWEyabepJ'), {
      url: 'https://brand.photoshelter.com/gallery/x/G0000P9vWEyabepJ',
    });
    assert.deepEqual(troubleshootBody('G0000short'), { url: 'G0000short' });
  });
});

describe('createApi with a ZAF client', () => {
  it('reads backend_url, subdomain, agent and ticket from the client and calls request once', async () => {
    const client = fakeClient({ respond: async () => ({ items: [], paging: { page: 1 } }) });
    const api = createApi(client);
    const data = await api.search({ q: 'trail run', kind: 'media', page: 2, perPage: 10 });
    assert.deepEqual(data, { items: [], paging: { page: 1 } });
    assert.equal(client.calls.request.length, 1);
    assert.deepEqual(client.calls.request[0], {
      url: 'http://127.0.0.1:5000/api/v1/search?q=trail%20run&kind=media&page=2&per_page=10',
      type: 'GET',
      contentType: 'application/json',
      secure: true,
      cors: false,
      jwt: JWT({ iss: 'demo.zendesk.com', sub: '1234', aud: 'photoshelter-for-zendesk', ticket_id: 4242 }),
      headers: { Authorization: 'Bearer {{jwt.token}}' },
    });
  });

  it('builds each endpoint path', async () => {
    const client = fakeClient();
    const api = createApi(client);
    await api.gallery('G0000P9vWEyabepJ', { page: 3, perPage: 12 });
    await api.collection('C0000cCequm4BmmS');
    await api.media('I0000sIgWVtMRMI8');
    await api.troubleshoot('https://brand.photoshelter.com/gallery/x/G0000P9vWEyabepJ?password=a');
    const urls = client.calls.request.map((o) => `${o.type} ${o.url.replace('http://127.0.0.1:5000', '')}`);
    assert.deepEqual(urls, [
      'GET /api/v1/galleries/G0000P9vWEyabepJ?page=3&per_page=12',
      'GET /api/v1/collections/C0000cCequm4BmmS?page=1&per_page=24',
      'GET /api/v1/media/I0000sIgWVtMRMI8',
      'POST /api/v1/troubleshoot',
    ]);
    assert.equal(client.calls.request[3].data, JSON.stringify({ url: 'https://brand.photoshelter.com/gallery/x/G0000P9vWEyabepJ?password=a' }));
    // identity is read once
    assert.equal(client.calls.get.length, 1);
  });

  it('falls back to ticket.id and currentAccount when the context lacks them', async () => {
    const client = fakeClient({ context: { product: 'support', location: 'ticket_sidebar' } });
    await createApi(client).media('I0000sIgWVtMRMI8');
    assert.deepEqual(client.calls.get[0], ['currentUser', 'ticket.id', 'currentAccount']);
    const claims = client.calls.request[0].jwt.claims;
    assert.equal(claims.iss, 'fromaccount.zendesk.com');
    assert.equal(claims.ticket_id, 777);
  });

  it('parses a JSON string answer', async () => {
    const client = fakeClient({ respond: async () => '{"found": true}' });
    assert.deepEqual(await createApi(client).troubleshoot('G0000P9vWEyabepJ'), { found: true });
  });

  it('fails with not_configured (and no request) when backend_url is empty', async () => {
    const client = fakeClient({ settings: { backend_url: ' ' } });
    await assert.rejects(createApi(client).search(), { status: 0, code: 'not_configured', message: null, retryAfter: null, details: {} });
    assert.equal(client.calls.request.length, 0);
  });

  it('normalises a rejected request', async () => {
    const client = fakeClient({
      respond: async () => {
        throw { status: 404, responseJSON: { error: { code: 'not_found', message: 'Gallery not found.', details: {} } } };
      },
    });
    await assert.rejects(createApi(client).gallery('G0000P9vWEyabepJ'), {
      status: 404,
      code: 'not_found',
      message: 'Gallery not found.',
      retryAfter: null,
      details: {},
    });
  });

  it('reads the identity again after a failed look-up', async () => {
    const client = fakeClient();
    let fail = true;
    const original = client.context;
    client.context = async () => {
      if (fail) throw new Error('not registered yet');
      return original();
    };
    await assert.rejects(createApi(client).media('I1'), { code: 'network_error' });
    const api = createApi(client);
    await assert.rejects(api.media('I1'));
    fail = false;
    await api.media('I1');
    assert.equal(client.calls.request.length, 1);
  });
});

describe('normaliseError', () => {
  it('takes code and message from the backend envelope', () => {
    const xhr = {
      status: 401,
      responseJSON: { error: { code: 'invalid_token', message: 'Token audience is wrong', details: {} } },
    };
    assert.deepEqual(normaliseError(xhr), { status: 401, code: 'invalid_token', message: 'Token audience is wrong', retryAfter: null, details: {} });
  });

  it('parses the envelope out of responseText when responseJSON is absent', () => {
    const xhr = { status: 400, responseText: '{"error": {"code": "validation_error", "message": "Some parameters are invalid.", "details": {"fields": {}}}}' };
    assert.deepEqual(normaliseError(xhr), {
      status: 400,
      code: 'validation_error',
      message: 'Some parameters are invalid.',
      retryAfter: null,
      details: { fields: {} },
    });
  });

  it('copes with a non-JSON body (an HTML error page)', () => {
    assert.deepEqual(normaliseError({ status: 502, responseText: '<html><body>Bad gateway</body></html>' }), {
      status: 502,
      code: 'unexpected_response',
      message: null,
      retryAfter: null,
      details: {},
    });
    assert.deepEqual(normaliseError({ status: 503, responseText: '' }), { status: 503, code: 'http_503', message: null, retryAfter: null, details: {} });
    assert.deepEqual(normaliseError({ status: 500, responseJSON: { detail: 'x' } }), { status: 500, code: 'http_500', message: null, retryAfter: null, details: {} });
  });

  it('reads retry-after for 429 from the envelope details', () => {
    const xhr = {
      status: 429,
      responseJSON: { error: { code: 'rate_limited', message: 'try again in 12 s.', details: { retry_after: 12 } } },
    };
    assert.deepEqual(normaliseError(xhr), {
      status: 429,
      code: 'rate_limited',
      message: 'try again in 12 s.',
      retryAfter: 12,
      details: { retry_after: 12 },
    });
  });

  it('reads retry-after from the Retry-After header when the body has none', () => {
    assert.equal(normaliseError({ status: 429, getResponseHeader: (n) => (n === 'Retry-After' ? '7' : null), responseText: 'slow down' }).retryAfter, 7);
    assert.equal(normaliseError({ status: 429, headers: { 'retry-after': '3' } }).retryAfter, 3);
    assert.equal(normaliseError({ status: 429, responseHeaders: 'Content-Type: text/plain\r\nRetry-After: 9\r\n' }).retryAfter, 9);
    assert.equal(normaliseError({ status: 429 }).retryAfter, null);
  });

  it('maps network failures, Errors and strings to network_error', () => {
    const expected = { status: 0, code: 'network_error', message: null, retryAfter: null, details: {} };
    assert.deepEqual(normaliseError(new Error('Invocation request timeout')), expected);
    assert.deepEqual(normaliseError('error'), expected);
    assert.deepEqual(normaliseError(undefined), expected);
    assert.deepEqual(normaliseError({ status: 0, responseText: '' }), expected);
  });

  it('is idempotent', () => {
    const once = normaliseError({ status: 404, responseJSON: { error: { code: 'not_found', message: 'Gone' } } });
    assert.equal(normaliseError(once), once);
  });
});

describe('parseRetryAfter', () => {
  it('accepts seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('12'), 12);
    assert.equal(parseRetryAfter(1.2), 2);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', Date.parse('2026-01-01T00:00:00Z')), 30);
    assert.equal(parseRetryAfter('soon'), null);
    assert.equal(parseRetryAfter(null), null);
  });
});

describe('delivery endpoints', () => {
  const CREATED = { id: 'dl_x', kind: 'attachment', status: 'delivered' };

  it('POSTs attach/share with the Idempotency-Key header next to the JWT', async () => {
    const client = fakeClient({ respond: async () => CREATED });
    const api = createApi(client);
    await api.attach({ media_ids: ['I0000sIgWVtMRMI8'], public: false, note: '' }, { idempotencyKey: 'key-1' });
    await api.share({ gallery_id: 'G0000P9vWEyabepJ', recipients: [], post_as: 'note' }, { idempotencyKey: 'key-2' });
    const [attach, share] = client.calls.request;
    assert.deepEqual(attach, {
      url: 'http://127.0.0.1:5000/api/v1/tickets/4242/attachments',
      type: 'POST',
      contentType: 'application/json',
      secure: true,
      cors: false,
      jwt: JWT({ iss: 'demo.zendesk.com', sub: '1234', aud: 'photoshelter-for-zendesk', ticket_id: 4242 }),
      headers: { Authorization: 'Bearer {{jwt.token}}', 'Idempotency-Key': 'key-1' },
      data: '{"media_ids":["I0000sIgWVtMRMI8"],"public":false,"note":""}',
    });
    assert.equal(share.url, 'http://127.0.0.1:5000/api/v1/tickets/4242/shares');
    assert.deepEqual(share.headers, { Authorization: 'Bearer {{jwt.token}}', 'Idempotency-Key': 'key-2' });
    assert.equal(share.data, '{"gallery_id":"G0000P9vWEyabepJ","recipients":[],"post_as":"note"}');
  });

  it('leaves the header out without a key', async () => {
    const client = fakeClient();
    await createApi(client).attach({ media_ids: ['I0000sIgWVtMRMI8'] });
    assert.deepEqual(client.calls.request[0].headers, { Authorization: 'Bearer {{jwt.token}}' });
  });

  it('builds the list, context, revoke and retry calls', async () => {
    const client = fakeClient();
    const api = createApi(client);
    await api.deliveries();
    await api.ticketContext();
    await api.revokeShare('R--dluDPBOBhTo8I2baO1BNc');
    await api.retryDelivery('dl_pNVrKg4UWz7k9z4E');
    const calls = client.calls.request.map((o) => `${o.type} ${o.url.replace('http://127.0.0.1:5000', '')} ${'data' in o}`);
    assert.deepEqual(calls, [
      'GET /api/v1/tickets/4242/deliveries false',
      'GET /api/v1/tickets/4242/context false',
      'DELETE /api/v1/shares/R--dluDPBOBhTo8I2baO1BNc false',
      'POST /api/v1/deliveries/dl_pNVrKg4UWz7k9z4E/retry false',
    ]);
    assert.ok(client.calls.request.every((o) => o.jwt.claims.ticket_id === 4242));
  });

  it('fails with no_ticket (and no request) outside a ticket', async () => {
    const client = fakeClient({ context: { product: 'support', account: { subdomain: 'demo' }, location: 'nav_bar' } });
    client.get = async () => ({ currentUser: { id: 1 } });
    await assert.rejects(createApi(client).deliveries(), { code: 'no_ticket', status: 0 });
    assert.equal(client.calls.request.length, 0);
  });

  it('keeps the envelope details (the failed delivery id of a 502)', async () => {
    const client = fakeClient({
      respond: async () => {
        throw {
          status: 502,
          responseJSON: {
            error: { code: 'delivery_failed', message: 'The delivery failed and was recorded.', details: { delivery: { id: 'dl_1', status: 'failed' } } },
          },
        };
      },
    });
    await assert.rejects(createApi(client).attach({ media_ids: [] }, { idempotencyKey: 'k' }), {
      status: 502,
      code: 'delivery_failed',
      details: { delivery: { id: 'dl_1', status: 'failed' } },
    });
  });

  it('refuses header names the ZAF proxy would reject', () => {
    assert.throws(() => buildRequestOptions(IDENTITY, 'POST', '/x', {}, { Idempotency_Key: 'k' }), /invalid header name/);
    assert.throws(() => buildRequestOptions(IDENTITY, 'POST', '/x', {}, { 'Bad Name': 'k' }), /invalid header name/);
    assert.throws(() => buildRequestOptions(IDENTITY, 'POST', '/x', {}, { authorization: 'x' }), /invalid header name/);
    assert.deepEqual(buildRequestOptions(IDENTITY, 'POST', '/x', {}, { 'Idempotency-Key': 'k', 'X-Skip': null }).headers, {
      Authorization: 'Bearer {{jwt.token}}',
      'Idempotency-Key': 'k',
    });
  });
});
