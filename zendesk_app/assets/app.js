// The app shell: the broken-link banner, the Browse / Delivered tabs, the selection bar, and the
// Browse tab's stack of views (search at the bottom, detail views and the delivery panel pushed on
// top), Escape-to-go-back and focus return.

import { resharePrefill } from './brokenlinks.js';
import { h } from './dom.js';
import { createSelection } from './selection.js';
import { createItemCache, createTicketStore } from './ticket.js';
import { createBanner } from './views/banner.js';
import { createDeliveredView } from './views/delivered.js';
import { createDeliveryView } from './views/deliver.js';
import { createGalleryView } from './views/gallery.js';
import { createMediaView } from './views/media.js';
import { createSearchView } from './views/search.js';
import { createSelectionBar } from './views/selectionbar.js';

let nextId = 0;

export function createApp({ client, api, t, settings, root, now = () => Date.now() }) {
  const uid = `app-${++nextId}`;
  const shell = h('div', { class: 'app' });
  root.replaceChildren(shell);
  root.removeAttribute('aria-busy');

  const stack = [];
  const ctx = {
    client,
    api,
    t,
    settings,
    now,
    nav: null,
    selection: createSelection(),
    ticket: createTicketStore({ api, client }),
    media: createItemCache((id) => api.media(id)),
    galleries: createItemCache((id) => api.gallery(id, { perPage: 4 })),
    focusBrowse: () => focusBrowse(),
  };

  // ------------------------------------------------------------------ browse: the view stack

  const viewport = h('div', { class: 'viewport' });
  const selectionBar = createSelectionBar(ctx, {
    onAttach: (opener) => openDelivery({ mode: 'attach', items: ctx.selection.items(), fromSelection: true }, opener),
    onShare: (opener) => openDelivery({ mode: 'share', items: ctx.selection.items(), fromSelection: true }, opener),
  });

  /** Tick every selection checkbox on screen to match the selection. */
  function syncSelection(scope = shell) {
    for (const node of scope.querySelectorAll('[data-select-id]')) {
      const on = ctx.selection.has(node.getAttribute('data-select-id'));
      if (node.tagName === 'INPUT') node.checked = on;
      else node.setAttribute('data-selected', String(on));
    }
  }
  ctx.selection.subscribe((change) => {
    if (change.type !== 'limit') syncSelection();
  });

  // Only the top view is in the document (the others wait detached, state intact), so every
  // data-testid on screen is unique and hidden views cannot be tabbed into.
  function show(entry) {
    viewport.replaceChildren(entry.view.el);
    selectionBar.el.hidden = Boolean(entry.view.isPanel);
    syncSelection(entry.view.el);
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
    const top = stack[stack.length - 1];
    if (top.view.isBusy && top.view.isBusy()) return false;
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

  function focusBrowse() {
    const top = stack[stack.length - 1];
    if (top && activeTab === 'browse') top.view.focus();
  }

  // ------------------------------------------------------------------ tabs

  let activeTab = 'browse';
  const delivered = createDeliveredView(ctx);
  const countBadge = h('span', { class: 'tab-count', 'data-testid': 'delivered-count', hidden: true });
  const tabButton = (name, label, extra) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'tab',
        id: `${uid}-tab-${name}`,
        'data-testid': `tab-${name}`,
        'aria-controls': `${uid}-panel-${name}`,
        'aria-selected': String(name === activeTab),
        tabindex: name === activeTab ? '0' : '-1',
      },
      label,
      extra,
    );
  const tabs = {
    browse: tabButton('browse', t('tabs.browse')),
    delivered: tabButton('delivered', t('tabs.delivered'), countBadge),
  };
  const panels = {
    browse: h('div', { class: 'tab-panel', role: 'tabpanel', id: `${uid}-panel-browse`, 'aria-labelledby': `${uid}-tab-browse` }, selectionBar.el, viewport),
    delivered: h('div', { class: 'tab-panel', role: 'tabpanel', id: `${uid}-panel-delivered`, 'aria-labelledby': `${uid}-tab-delivered` }, delivered.el),
  };
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('tabs.label') }, tabs.browse, tabs.delivered);
  const panelSlot = h('div', { class: 'tab-panels' }, panels.browse);

  // The inactive panel is detached, like the views, so its hooks never double up on screen.
  function setTab(name, { focus = false } = {}) {
    const changed = name !== activeTab;
    activeTab = name;
    for (const [key, tab] of Object.entries(tabs)) {
      tab.setAttribute('aria-selected', String(key === name));
      tab.setAttribute('tabindex', key === name ? '0' : '-1');
    }
    panelSlot.replaceChildren(panels[name]);
    if (name === 'browse') syncSelection(panels.browse);
    if (changed && name === 'delivered') delivered.start();
    if (focus === 'tab') tabs[name].focus();
    else if (focus) (name === 'delivered' ? delivered : stack[stack.length - 1].view).focus();
  }

  tabs.browse.addEventListener('click', () => setTab('browse'));
  tabs.delivered.addEventListener('click', () => setTab('delivered'));
  tablist.addEventListener('keydown', (event) => {
    const order = ['browse', 'delivered'];
    let index = order.indexOf(activeTab);
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') index = (index + (event.key === 'ArrowRight' ? 1 : order.length - 1)) % order.length;
    else if (event.key === 'Home') index = 0;
    else if (event.key === 'End') index = order.length - 1;
    else return;
    event.preventDefault();
    setTab(order[index], { focus: 'tab' });
  });

  ctx.ticket.subscribe(() => {
    const count = ctx.ticket.count();
    countBadge.hidden = count === null;
    countBadge.textContent = count === null ? '' : String(count);
    tabs.delivered.setAttribute('aria-label', count === null ? t('tabs.delivered') : t('tabs.delivered_count', { count }));
  });

  // ------------------------------------------------------------------ delivery panel

  function openDelivery({ mode, items = [], gallery = null, prefill = null, fromSelection = false }, opener) {
    if (activeTab !== 'browse') setTab('browse');
    const top = stack[stack.length - 1];
    if (top.view.isPanel) {
      if (top.view.isBusy()) return;
      back();
    }
    const view = createDeliveryView(ctx, {
      mode,
      items,
      gallery,
      prefill,
      onFinished: ({ viewDelivered }) => {
        if (fromSelection) ctx.selection.clear();
        if (viewDelivered) setTab('delivered', { focus: true });
      },
    });
    push(view, opener);
  }

  function reshare(link, opener) {
    const prefill = resharePrefill(link, ctx.ticket.state.requester);
    if (!prefill) return;
    if (prefill.galleryId) {
      openDelivery({ mode: 'share', gallery: { ...(ctx.galleries.get(prefill.galleryId) || {}), id: prefill.galleryId }, prefill }, opener);
    } else {
      const items = prefill.mediaIds.map((id) => ctx.media.get(id) || { id, kind: 'media' });
      openDelivery({ mode: 'share', items, prefill }, opener);
    }
  }

  function troubleshoot(link) {
    if (activeTab !== 'browse') setTab('browse');
    while (stack.length > 1 && back()) {
      // back to the search view, which holds the troubleshooter
    }
    if (stack.length === 1 && stack[0].view.troubleshoot) stack[0].view.troubleshoot(link.url);
  }

  ctx.nav = {
    open,
    back,
    depth: () => stack.length,
    openDelivery,
    shareGallery: (gallery, opener) => openDelivery({ mode: 'share', gallery }, opener),
    showDelivered: () => setTab('delivered', { focus: true }),
  };

  const banner = createBanner(ctx, { onReshare: reshare, onTroubleshoot: troubleshoot });
  ctx.nav.resolveBrokenLink = (url) => banner.resolve(url);
  shell.append(banner.el, tablist, panelSlot);

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && activeTab === 'browse' && stack.length > 1) {
      event.preventDefault();
      back();
    }
  });

  push(createSearchView(ctx));
  ctx.ticket.load();
  return ctx;
}
