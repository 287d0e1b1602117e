import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createApi } from '../../zendesk_app/assets/api.js';
import { createItemCache, createTicketStore, mergeCcs } from '../../zendesk_app/assets/ticket.js';
import { fakeClient } from './helpers.mjs';

const CONTEXT = {
  ticket: { id: 4242, subject: 'x', status: 'open', priority: 'high', tags: [] },
  requester: { id: 7102, name: 'Sam Whitaker', email: 'sam@peak.example', tags: [] },
  organization: null,
  deliveries: [
    { id: 'dl_old', kind: 'attachment', status: 'delivered', created_at: '2026-11-27T10:00:00Z', shares: [] },
    { id: 'dl_new', kind: 'share', status: 'delivered', created_at: '2026-11-28T10:00:00Z', shares: [{ id: 's1', status: 'active' }] },
  ],
  links: [{ url: 'https://x/l/s1', source: 'share', share_id: 's1', works: true, cause: 'ok', container_id: 'G0000kU16xDVlQ8k' }],
};

function path(options) {
  return `${options.type} ${options.url.replace('http://127.0.0.1:5000', '')}`;
}

describe('ticket store', () => {
  it('loads /context: requester, links, deliveries newest first; CCs from ZAF when available', async () => {
    const client = fakeClient({ respond: async () => CONTEXT });
    const get = client.get;
    client.get = async (paths) => (paths === 'ticket.collaborators' ? { 'ticket.collaborators': [{ id: 9, name: 'Jo', email: 'jo@peak.example' }, { id: 10, name: 'No mail' }] } : get(paths));
    const store = createTicketStore({ api: createApi(client), client });
    const seen = [];
    store.subscribe((state) => seen.push(state.status));
    await store.load();
    assert.deepEqual(client.calls.request.map(path), ['GET /api/v1/tickets/4242/context']);
    assert.equal(store.state.status, 'ready');
    assert.deepEqual(store.state.requester, { id: 7102, name: 'Sam Whitaker', email: 'sam@peak.example' });
    assert.deepEqual(store.state.ccs, [{ id: 9, name: 'Jo', email: 'jo@peak.example' }]);
    assert.deepEqual(store.state.deliveries.map((d) => d.id), ['dl_new', 'dl_old']);
    assert.equal(store.count(), 2);
    assert.deepEqual(seen, ['loading', 'ready']);
  });

  it('takes the CCs from /context when it lists them (deduplicated, requester left out) without asking ZAF', async () => {
    const ccs = [
      { id: 7106, name: 'Dana Okafor', email: 'dana.okafor@trailpress.example' },
      { id: 7107, name: 'Dana again', email: 'DANA.OKAFOR@trailpress.example' },
      { id: 7102, name: 'Sam Whitaker', email: 'sam@peak.example' },
    ];
    const client = fakeClient({ respond: async () => ({ ...CONTEXT, ccs }) });
    const store = createTicketStore({ api: createApi(client), client });
    await store.load();
    assert.deepEqual(store.state.ccs, [{ id: 7106, name: 'Dana Okafor', email: 'dana.okafor@trailpress.example' }]);
    assert.ok(!client.calls.get.flat().includes('ticket.collaborators'));
  });

  it('asks ZAF for ticket.collaborators when /context fails', async () => {
    const client = fakeClient({
      respond: async (options) => {
        if (options.url.endsWith('/context')) throw { status: 502 };
        return { items: [] };
      },
    });
    const zaf = {
      'ticket.requester': { id: 5, name: 'Zaf Requester', email: 'zaf@peak.example' },
      'ticket.collaborators': [{ id: 5, name: 'Zaf Requester', email: 'zaf@peak.example' }, { id: 9, name: 'Jo', email: 'jo@peak.example' }],
    };
    client.get = async (paths) => ({ [paths]: zaf[paths] });
    const store = createTicketStore({ api: createApi(client), client });
    await store.load();
    assert.equal(store.state.status, 'error');
    assert.deepEqual(store.state.ccs, [{ id: 9, name: 'Jo', email: 'jo@peak.example' }]);
  });

  it('falls back to ticket.requester and GET /deliveries when /context fails', async () => {
    const client = fakeClient({
      respond: async (options) => {
        if (options.url.endsWith('/context')) throw { status: 502, responseJSON: { error: { code: 'upstream_unavailable', message: 'zendesk is having trouble' } } };
        return { items: [{ id: 'dl_1', kind: 'share', status: 'failed', created_at: '2026-11-28T10:00:00Z', shares: [] }] };
      },
    });
    const get = client.get;
    client.get = async (paths) => {
      if (paths === 'ticket.requester') return { 'ticket.requester': { id: 5, name: 'Zaf Requester', email: 'zaf@peak.example' } };
      if (paths === 'ticket.collaborators') throw new Error('Could not find handler');
      return get(paths);
    };
    const store = createTicketStore({ api: createApi(client), client });
    await store.load();
    assert.deepEqual(client.calls.request.map(path), ['GET /api/v1/tickets/4242/context', 'GET /api/v1/tickets/4242/deliveries']);
    assert.equal(store.state.status, 'error');
    assert.equal(store.state.error.code, 'upstream_unavailable');
    assert.deepEqual(store.state.requester, { id: 5, name: 'Zaf Requester', email: 'zaf@peak.example' });
    assert.deepEqual(store.state.ccs, []);
    assert.deepEqual(store.state.links, []);
    assert.deepEqual(store.state.deliveries.map((d) => d.id), ['dl_1']);
    assert.equal(store.state.deliveriesStatus, 'ready');
  });

  it('keeps the last list when a refresh fails, and updates it after attach/share/revoke', async () => {
    let fail = false;
    const client = fakeClient({
      respond: async (options) => {
        if (fail) throw { status: 0 };
        return options.url.endsWith('/context') ? CONTEXT : { items: CONTEXT.deliveries };
      },
    });
    const store = createTicketStore({ api: createApi(client), client });
    await store.load();
    fail = true;
    assert.equal(await store.refreshDeliveries(), null);
    assert.equal(store.state.deliveriesStatus, 'error');
    assert.equal(store.state.deliveriesError.code, 'network_error');
    assert.equal(store.count(), 2);
    store.upsert({ id: 'dl_newest', kind: 'attachment', status: 'delivered', created_at: '2026-11-28T12:00:00Z', shares: [] });
    assert.equal(store.count(), 3);
    assert.equal(store.state.deliveries[0].id, 'dl_newest');
    store.applyShare({ id: 's1', status: 'revoked', revoked_at: '2026-11-28T13:00:00Z' });
    const share = store.state.deliveries.find((d) => d.id === 'dl_new');
    assert.equal(share.status, 'revoked');
    assert.equal(share.shares[0].status, 'revoked');
    assert.deepEqual([store.state.links[0].works, store.state.links[0].cause], [false, 'revoked']);
    // the link's old "works" reason goes with it (the banner must not say "This share link works.")
    assert.notEqual(store.state.links[0].reason, 'This share link works.');
    store.applyShare({ id: 's1', status: 'revoked', reason: 'This share link was revoked.' });
    assert.equal(store.state.links[0].reason, 'This share link was revoked.');
  });
});

describe('mergeCcs', () => {
  const requester = { id: 1, name: 'Req', email: 'req@x.example' };
  const zaf = [{ id: 3, name: 'From ZAF', email: 'zaf@x.example' }];

  it('prefers /context ccs (even an empty list) over ticket.collaborators', () => {
    assert.deepEqual(mergeCcs({ contextCcs: [{ id: 2, name: 'Ctx', email: 'ctx@x.example', tags: [] }], zafCcs: zaf, requester }), [
      { id: 2, name: 'Ctx', email: 'ctx@x.example' },
    ]);
    assert.deepEqual(mergeCcs({ contextCcs: [], zafCcs: zaf, requester }), []);
    assert.deepEqual(mergeCcs({ contextCcs: null, zafCcs: zaf, requester }), [{ id: 3, name: 'From ZAF', email: 'zaf@x.example' }]);
    assert.deepEqual(mergeCcs({ contextCcs: undefined, zafCcs: 'nonsense' }), []);
    assert.deepEqual(mergeCcs(), []);
  });

  it('drops people without an address, duplicates by e-mail (any case) and the requester', () => {
    const ccs = [
      { id: 2, name: 'Ann', email: 'ann@x.example' },
      { id: 4, name: 'No mail' },
      null,
      'bob@x.example',
      { id: 5, name: 'Ann (twice)', email: ' ANN@x.example ' },
      { id: 6, name: 'Requester by mail', email: 'REQ@x.example' },
      { id: 1, name: 'Requester by id', email: 'other@x.example' },
      { id: 7, name: null, email: 'cy@x.example' },
    ];
    assert.deepEqual(mergeCcs({ contextCcs: ccs, requester }), [
      { id: 2, name: 'Ann', email: 'ann@x.example' },
      { id: 7, name: null, email: 'cy@x.example' },
    ]);
    // Without a requester nobody is left out for being them.
    assert.equal(mergeCcs({ zafCcs: ccs }).length, 4);
  });
});

describe('item cache', () => {
  it('answers from what was seen, fetches a missing item once, does not repeat a failed look-up', async () => {
    const calls = [];
    const cache = createItemCache(async (id) => {
      calls.push(id);
      if (id === 'bad') throw new Error('404');
      return { file_name: `${id}.jpg` };
    });
    cache.remember({ id: 'a', file_name: 'a.jpg' });
    assert.deepEqual(await cache.resolve('a'), { id: 'a', file_name: 'a.jpg' });
    const [one, two] = await Promise.all([cache.resolve('b'), cache.resolve('b')]);
    assert.deepEqual(one, { file_name: 'b.jpg', id: 'b' });
    assert.equal(one, two);
    assert.equal(await cache.resolve('bad'), null);
    assert.equal(await cache.resolve('bad'), null);
    assert.deepEqual(calls, ['b', 'bad']);
    assert.equal(cache.get('zzz'), null);
  });
});
