// The app shell: a stack of views (search at the bottom, detail views pushed on top),
// Escape-to-go-back and focus return.

import { h } from './dom.js';
import { createGalleryView } from './views/gallery.js';
import { createMediaView } from './views/media.js';
import { createSearchView } from './views/search.js';

export function createApp({ client, api, t, settings, root, now = () => Date.now() }) {
  const viewport = h('div', { class: 'app' });
  root.replaceChildren(viewport);
  root.removeAttribute('aria-busy');

  const stack = [];
  const ctx = { client, api, t, settings, now, nav: null };

  // Only the top view is in the document (the others wait detached, state intact), so every
  // data-testid on screen is unique and hidden views cannot be tabbed into.
  function show(entry) {
    viewport.replaceChildren(entry.view.el);
  }

  function push(view, opener) {
    const top = stack[stack.length - 1];
    if (top) top.opener = opener || document.activeElement;
    stack.push({ view, opener: null });
    show(stack[stack.length - 1]);
    if (view.start) view.start();
    if (stack.length > 1) view.focus();
  }

  function back() {
    if (stack.length < 2) return false;
    stack.pop();
    const current = stack[stack.length - 1];
    show(current);
    const target = current.opener;
    current.opener = null;
    if (target && target.isConnected) target.focus();
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
