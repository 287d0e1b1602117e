// The app shell: a stack of views (search at the bottom, detail views pushed on top), the live
// region, Escape-to-go-back and focus return.

import { h } from './dom.js';
import { createGalleryView } from './views/gallery.js';
import { createMediaView } from './views/media.js';
import { createSearchView } from './views/search.js';

export function createApp({ client, api, t, settings, root, now = () => Date.now() }) {
  const viewport = h('div', { class: 'app' });
  const live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'data-testid': 'announcer' });
  root.replaceChildren(viewport, live);
  root.removeAttribute('aria-busy');

  const stack = [];
  const ctx = { client, api, t, settings, now, announce, nav: null };

  function announce(text) {
    live.textContent = '';
    setTimeout(() => {
      live.textContent = text;
    }, 50);
  }

  function show(entry) {
    for (const other of stack) other.view.el.hidden = other !== entry;
  }

  function push(view, opener) {
    const top = stack[stack.length - 1];
    if (top) top.opener = opener || document.activeElement;
    stack.push({ view, opener: null });
    viewport.appendChild(view.el);
    show(stack[stack.length - 1]);
    if (view.start) view.start();
    if (stack.length > 1) view.focus();
  }

  function back() {
    if (stack.length < 2) return false;
    const leaving = stack.pop();
    leaving.view.el.remove();
    const current = stack[stack.length - 1];
    show(current);
    const target = current.opener;
    current.opener = null;
    if (target && target.isConnected && !target.closest('[hidden]')) target.focus();
    else current.view.focus();
    return true;
  }

  function open(item, opener) {
    if (!item || !item.id) return;
    const view = item.kind === 'media' ? createMediaView(ctx, item) : createGalleryView(ctx, item);
    push(view, opener);
  }

  ctx.nav = { open, back, depth: () => stack.length };

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && stack.length > 1) {
      event.preventDefault();
      back();
    }
  });

  push(createSearchView(ctx));
  return ctx;
}
