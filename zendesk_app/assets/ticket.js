// What the sidebar knows about the open ticket: requester, CCs, deliveries and the links in the
// conversation (`GET /tickets/<id>/context`), kept in one store the views subscribe to. No DOM.
//
// CCs come from /context's `ccs`; without them (an older backend, or /context failed) from
// `client.get('ticket.collaborators')`. When /context fails the requester comes from
// `client.get('ticket.requester')` and the deliveries from `GET /tickets/<id>/deliveries`, so
// sharing and the Delivered tab still work.

import { applyShareUpdate, sortDeliveries, upsertDelivery } from './shares.js';

function person(user) {
  if (!user || typeof user !== 'object') return null;
  return { id: user.id ?? null, name: user.name || null, email: user.email || null };
}

/**
 * The CCs the share panel offers: `contextCcs` (from /context) when it is a list, else `zafCcs`
 * (`ticket.collaborators`); people without an address dropped, duplicates (by e-mail, any case)
 * dropped, and the requester left out (they are offered separately).
 */
export function mergeCcs({ contextCcs, zafCcs, requester } = {}) {
  const source = Array.isArray(contextCcs) ? contextCcs : Array.isArray(zafCcs) ? zafCcs : [];
  const email = (p) => (typeof p.email === 'string' ? p.email.trim().toLowerCase() : '');
  const seen = new Set();
  const self = requester ? person(requester) : null;
  if (self && self.email) seen.add(email(self));
  const ccs = [];
  for (const cc of source.map(person)) {
    if (!cc || !email(cc) || seen.has(email(cc))) continue;
    if (self && self.id != null && cc.id === self.id) continue;
    seen.add(email(cc));
    ccs.push(cc);
  }
  return ccs;
}

export function createTicketStore({ api, client }) {
  const listeners = new Set();
  const state = {
    status: 'idle', // idle | loading | ready | error (of /context)
    requester: null,
    ccs: [],
    links: [],
    deliveries: null, // null until known
    deliveriesStatus: 'idle', // idle | loading | ready | error
    deliveriesError: null,
    limits: null, // the backend's delivery limits, from /context
    error: null,
  };
  let loading = null;
  let deliveriesRequest = 0;

  function emit() {
    for (const listener of [...listeners]) listener(state);
  }

  async function zafGet(path) {
    try {
      const data = await client.get(path);
      return data ? data[path] : null;
    } catch {
      return null;
    }
  }

  async function load() {
    if (loading) return loading;
    state.status = 'loading';
    if (state.deliveries === null) state.deliveriesStatus = 'loading';
    emit();
    loading = (async () => {
      let contextCcs = null;
      try {
        const context = (await api.ticketContext()) || {};
        state.requester = person(context.requester);
        contextCcs = Array.isArray(context.ccs) ? context.ccs : null;
        state.links = Array.isArray(context.links) ? context.links : [];
        state.limits = context.limits && typeof context.limits === 'object' ? context.limits : null;
        state.deliveries = sortDeliveries(context.deliveries);
        state.deliveriesStatus = 'ready';
        state.deliveriesError = null;
        state.status = 'ready';
        state.error = null;
      } catch (error) {
        state.status = 'error';
        state.error = error;
        state.requester = person(await zafGet('ticket.requester'));
        await refreshDeliveries({ quiet: true });
      }
      const zafCcs = contextCcs ? null : await zafGet('ticket.collaborators');
      state.ccs = mergeCcs({ contextCcs, zafCcs, requester: state.requester });
      loading = null;
      emit();
      return state;
    })();
    return loading;
  }

  /** Re-read the deliveries (live share status). Resolves with the list, or null on failure. */
  async function refreshDeliveries({ quiet = false } = {}) {
    const id = ++deliveriesRequest;
    state.deliveriesStatus = 'loading';
    if (!quiet) emit();
    try {
      const data = await api.deliveries();
      if (id !== deliveriesRequest) return state.deliveries;
      state.deliveries = sortDeliveries(data && data.items);
      state.deliveriesStatus = 'ready';
      state.deliveriesError = null;
    } catch (error) {
      if (id !== deliveriesRequest) return state.deliveries;
      state.deliveriesStatus = 'error';
      state.deliveriesError = error;
    }
    if (!quiet) emit();
    return state.deliveriesStatus === 'ready' ? state.deliveries : null;
  }

  return {
    state,
    load,
    refreshDeliveries,
    count: () => (Array.isArray(state.deliveries) ? state.deliveries.length : null),
    /** A delivery the app just made or retried (the list updates before the next refresh). */
    upsert(delivery) {
      state.deliveries = upsertDelivery(state.deliveries || [], delivery);
      if (state.deliveriesStatus !== 'loading') state.deliveriesStatus = 'ready';
      emit();
    },
    /** A share the app just revoked. */
    applyShare(share) {
      state.deliveries = applyShareUpdate(state.deliveries || [], share);
      state.links = state.links.map((link) =>
        link.share_id && link.share_id === share.id
          ? { ...link, works: share.status === 'active' || share.status === 'expiring', cause: share.status, reason: share.reason || null }
          : link,
      );
      emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Items by id (media names/thumbnails, gallery names): filled from what the views render, fetched
 * once when missing (`fetch(id)`; a failed look-up is not repeated).
 */
export function createItemCache(fetch) {
  const known = new Map();
  const pending = new Map();
  const failed = new Set();
  return {
    remember(item) {
      if (item && item.id) known.set(item.id, { ...known.get(item.id), ...item });
    },
    get: (id) => known.get(id) || null,
    async resolve(id) {
      if (known.has(id)) return known.get(id);
      if (failed.has(id)) return null;
      if (!pending.has(id)) {
        const promise = Promise.resolve()
          .then(() => fetch(id))
          .then((item) => {
            known.set(id, { ...item, id });
            return known.get(id);
          })
          .catch(() => {
            failed.add(id);
            return null;
          })
          .finally(() => pending.delete(id));
        pending.set(id, promise);
      }
      return pending.get(id);
    },
  };
}
