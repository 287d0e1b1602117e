// The multi-select of images (pure, no DOM): insertion-ordered, capped at MAX_ITEMS, with listeners.
// Items are media as the search/gallery answers carry them ({id, kind, file_name, file_size, ...}).

import { MAX_ITEMS, isMediaId } from './delivery.js';

export function createSelection({ max = MAX_ITEMS } = {}) {
  const items = new Map();
  const listeners = new Set();

  function emit(change) {
    for (const listener of [...listeners]) listener(change);
  }

  function selectable(item) {
    return Boolean(item) && (item.kind === undefined || item.kind === 'media') && isMediaId(item.id);
  }

  const api = {
    max,
    has: (id) => items.has(id),
    size: () => items.size,
    isFull: () => items.size >= max,
    items: () => [...items.values()],
    ids: () => [...items.keys()],

    /** `{ok: true}`, or `{ok: false, reason: 'limit' | 'invalid'}` (nothing changes then). */
    add(item) {
      if (!selectable(item)) return { ok: false, reason: 'invalid' };
      if (items.has(item.id)) {
        items.set(item.id, { ...items.get(item.id), ...item });
        return { ok: true };
      }
      if (items.size >= max) {
        emit({ type: 'limit', id: item.id });
        return { ok: false, reason: 'limit' };
      }
      items.set(item.id, item);
      emit({ type: 'add', id: item.id });
      return { ok: true };
    },

    remove(id) {
      if (!items.delete(id)) return false;
      emit({ type: 'remove', id });
      return true;
    },

    /** Select or unselect (`on` defaults to "the other state"). */
    toggle(item, on = !items.has(item && item.id)) {
      if (on) return api.add(item);
      api.remove(item && item.id);
      return { ok: true };
    },

    clear() {
      if (!items.size) return;
      items.clear();
      emit({ type: 'clear' });
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return api;
}

/**
 * The words of a gallery's "select all" button, as `{key, count}` for `t`: it only ever selects the
 * images loaded so far, so with more still unloaded it says "Select the 12 shown", not "all".
 * `total` is the gallery's image count (null when unknown).
 */
export function selectAllLabel({ loaded, total = null, allSelected = false }) {
  if (allSelected) return { key: 'selection.unselect_all', count: loaded };
  const complete = typeof total !== 'number' || loaded >= total;
  return { key: complete ? 'selection.select_all' : 'selection.select_shown', count: loaded };
}
