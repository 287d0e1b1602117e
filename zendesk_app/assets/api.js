// The backend client: THE only place that calls `client.request`.
//
// Every call goes through Zendesk's proxy (`cors: false`, `secure: true`), which replaces
// `{{setting.shared_secret}}` server-side, signs the `jwt` claims with it (HS256) and puts the
// token where `{{jwt.token}}` stands. The browser never sees the secret. Failures are normalised to
// `{status, code, message, retryAfter, details}` from the backend's `{"error": {code, message, details}}`.

import { normaliseBackendUrl, readSettings } from './settings.js';

export const JWT_AUDIENCE = 'photoshelter-for-zendesk';
export const JWT_EXPIRY_SECONDS = 300;
export const SHARED_SECRET_PLACEHOLDER = '{{setting.shared_secret}}';
export const JWT_TOKEN_PLACEHOLDER = '{{jwt.token}}';

// Errors this module already normalised (so a second pass returns them unchanged).
const NORMALISED = new WeakSet();

/** `path?a=1&b=2`, skipping null/undefined values. */
export function withQuery(path, params = {}) {
  const pairs = Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return pairs.length ? `${path}?${pairs.join('&')}` : path;
}

/** Header names ZAF's proxy accepts: a token without underscores (it rejects `Idempotency_Key`). */
export const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^`|~-]+$/;

/**
 * The exact `client.request` options for one backend call.
 * identity = {backendUrl, subdomain, userId, ticketId}; body is JSON-encoded for non-GET calls;
 * `headers` adds to Authorization (e.g. `{'Idempotency-Key': key}`).
 */
export function buildRequestOptions(identity, method, path, body, headers = null) {
  const type = String(method || 'GET').toUpperCase();
  const claims = {
    iss: `${identity.subdomain}.zendesk.com`,
    sub: String(identity.userId),
    aud: JWT_AUDIENCE,
  };
  if (identity.ticketId !== undefined && identity.ticketId !== null && identity.ticketId !== '') {
    const ticketId = Number(identity.ticketId);
    claims.ticket_id = Number.isFinite(ticketId) ? ticketId : identity.ticketId;
  }
  const options = {
    url: normaliseBackendUrl(identity.backendUrl) + (String(path).startsWith('/') ? path : `/${path}`),
    type,
    contentType: 'application/json',
    secure: true,
    cors: false,
    jwt: {
      algorithm: 'HS256',
      secret_key: SHARED_SECRET_PLACEHOLDER,
      expiry: JWT_EXPIRY_SECONDS,
      claims,
    },
    headers: { Authorization: `Bearer ${JWT_TOKEN_PLACEHOLDER}` },
  };
  for (const [name, value] of Object.entries(headers || {})) {
    if (value === undefined || value === null) continue;
    if (!HEADER_NAME.test(name) || name.includes('_') || name.toLowerCase() === 'authorization') {
      throw new TypeError(`invalid header name: ${name}`);
    }
    options.headers[name] = String(value);
  }
  if (type !== 'GET' && type !== 'HEAD' && body !== undefined) {
    options.data = JSON.stringify(body);
  }
  return options;
}

function headerValue(raw, name) {
  if (!raw || typeof raw !== 'object') return null;
  if (typeof raw.getResponseHeader === 'function') {
    try {
      const value = raw.getResponseHeader(name);
      if (value !== null && value !== undefined) return value;
    } catch {
      // a serialised xhr may carry a broken accessor; fall through to the plain headers
    }
  }
  const headers = raw.headers || raw.responseHeaders;
  if (!headers) return null;
  if (typeof headers.get === 'function') return headers.get(name);
  if (typeof headers === 'string') {
    const line = headers.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line ? line.slice(line.indexOf(':') + 1).trim() : null;
  }
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? headers[key] : null;
}

/** Seconds from a Retry-After value (delta-seconds or HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.max(0, Math.ceil(value)) : null;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.max(0, Math.ceil(Number(text)));
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function parseBody(raw) {
  if (raw.responseJSON !== undefined && raw.responseJSON !== null) return raw.responseJSON;
  if (typeof raw.responseText === 'string' && raw.responseText.trim()) {
    try {
      return JSON.parse(raw.responseText);
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Any rejection (xhr-like object, Error, string, already-normalised error) ->
 * `{status, code, message, retryAfter, details}` (details: the envelope's object, else {}).
 */
export function normaliseError(raw) {
  if (NORMALISED.has(raw)) return raw;
  const isObject = raw !== null && typeof raw === 'object' && !(raw instanceof Error);
  const status = isObject ? Number(raw.status) || 0 : 0;
  const body = isObject ? parseBody(raw) : null;
  const envelope = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : null;
  let code = envelope && typeof envelope.code === 'string' && envelope.code ? envelope.code : null;
  if (!code) {
    if (status === 0) code = 'network_error';
    else if (body === null && isObject && (raw.responseText || '').trim()) code = 'unexpected_response';
    else code = `http_${status}`;
  }
  const details = envelope && envelope.details && typeof envelope.details === 'object' ? envelope.details : {};
  const result = { status, code, message: null, retryAfter: null, details };
  result.message =
    envelope && typeof envelope.message === 'string' && envelope.message.trim() ? envelope.message.trim() : null;
  result.retryAfter = parseRetryAfter(details.retry_after);
  if (result.retryAfter === null && isObject) result.retryAfter = parseRetryAfter(headerValue(raw, 'Retry-After'));
  NORMALISED.add(result);
  return result;
}

function apiError(fields) {
  const error = { status: 0, code: 'network_error', message: null, retryAfter: null, details: {}, ...fields };
  NORMALISED.add(error);
  return error;
}

function parseData(data) {
  if (typeof data === 'string') {
    try {
      return JSON.parse(data);
    } catch {
      throw apiError({ code: 'unexpected_response', status: 200 });
    }
  }
  return data;
}

/** The request body of `POST /api/v1/troubleshoot`: `{id}` for a bare id, `{url}` otherwise. */
export function troubleshootBody(input) {
  const text = String(input ?? '').trim();
  return /^(?:G0000|C0000|I0000)[A-Za-z0-9._]{11}$/.test(text) ? { id: text } : { url: text };
}

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

function idempotencyHeaders(key) {
  return key ? { [IDEMPOTENCY_HEADER]: key } : null;
}

/** `/api/v1/tickets/<id><suffix>` for the identity's ticket (null without a ticket). */
export function ticketPath(suffix) {
  return (who) => {
    const id = who && who.ticketId;
    if (id === undefined || id === null || id === '') return null;
    return `/api/v1/tickets/${encodeURIComponent(String(id))}${suffix}`;
  };
}

/** Who is calling, from the ZAF client: backend URL, subdomain, agent id, ticket id. */
export async function loadIdentity(client) {
  const [metadata, context] = await Promise.all([client.metadata(), client.context()]);
  const settings = readSettings(metadata && metadata.settings);
  let ticketId = context && context.ticketId !== undefined ? context.ticketId : null;
  let subdomain = context && context.account ? context.account.subdomain : null;
  const paths = ['currentUser'];
  if (ticketId === null) paths.push('ticket.id');
  if (!subdomain) paths.push('currentAccount');
  const data = (await client.get(paths)) || {};
  const user = data.currentUser || {};
  if (ticketId === null && data['ticket.id'] !== undefined) ticketId = data['ticket.id'];
  if (!subdomain && data.currentAccount) subdomain = data.currentAccount.subdomain;
  return { backendUrl: settings.backendUrl, subdomain, userId: user.id, ticketId };
}

/**
 * The backend API bound to one ZAF client. Identity is read once (and again after a failure).
 * `createApi(client, {identity})` skips the look-up (tests).
 */
export function createApi(client, { identity = null } = {}) {
  let identityPromise = identity ? Promise.resolve(identity) : null;

  function getIdentity() {
    if (!identityPromise) {
      identityPromise = loadIdentity(client).catch((error) => {
        identityPromise = null;
        throw error;
      });
    }
    return identityPromise;
  }

  /** One call; `path` may be a function of the identity (ticket-scoped paths). */
  async function request(method, path, body, { headers = null } = {}) {
    let who;
    try {
      who = await getIdentity();
    } catch (error) {
      throw normaliseError(error);
    }
    if (!who.backendUrl) throw apiError({ code: 'not_configured' });
    const resolved = typeof path === 'function' ? path(who) : path;
    if (resolved === null) throw apiError({ code: 'no_ticket' });
    const options = buildRequestOptions(who, method, resolved, body, headers);
    let data;
    try {
      data = await client.request(options);
    } catch (error) {
      throw normaliseError(error);
    }
    return parseData(data);
  }

  return {
    request,
    identity: getIdentity,
    search: ({ q = '', kind = 'all', page = 1, perPage = 24 } = {}) =>
      request('GET', withQuery('/api/v1/search', { q, kind, page, per_page: perPage })),
    gallery: (id, { page = 1, perPage = 24 } = {}) =>
      request('GET', withQuery(`/api/v1/galleries/${encodeURIComponent(id)}`, { page, per_page: perPage })),
    collection: (id, { page = 1, perPage = 24 } = {}) =>
      request('GET', withQuery(`/api/v1/collections/${encodeURIComponent(id)}`, { page, per_page: perPage })),
    media: (id) => request('GET', `/api/v1/media/${encodeURIComponent(id)}`),
    troubleshoot: (input) => request('POST', '/api/v1/troubleshoot', troubleshootBody(input)),
    // Deliveries on the open ticket (the ticket id comes from the identity, like the JWT claim).
    ticketContext: () => request('GET', ticketPath('/context')),
    deliveries: () => request('GET', ticketPath('/deliveries')),
    attach: (body, { idempotencyKey } = {}) =>
      request('POST', ticketPath('/attachments'), body, { headers: idempotencyHeaders(idempotencyKey) }),
    share: (body, { idempotencyKey } = {}) =>
      request('POST', ticketPath('/shares'), body, { headers: idempotencyHeaders(idempotencyKey) }),
    revokeShare: (shareId) => request('DELETE', `/api/v1/shares/${encodeURIComponent(shareId)}`),
    retryDelivery: (deliveryId) => request('POST', `/api/v1/deliveries/${encodeURIComponent(deliveryId)}/retry`),
  };
}
