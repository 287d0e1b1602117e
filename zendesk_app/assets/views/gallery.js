// Gallery / collection detail: breadcrumb, badges + reason, insert link, grants, paged children.

import { daysUntil } from '../badges.js';
import { h, headingFocus, icon, mount } from '../dom.js';
import { formatDate } from '../format.js';
import { ICONS } from '../icons.js';
import { linkHtml } from '../links.js';
import { selectAllLabel } from '../selection.js';
import {
  backBar,
  badgeList,
  cardGroup,
  errorState,
  insertLinkAction,
  loadingBlock,
  loadMoreButton,
  reasonCallout,
  sectionHeading,
  skeletonTiles,
} from './common.js';

const PER_PAGE = 12;
const GRANT_ICONS = { password: ICONS.lock, token: ICONS.key, contact: ICONS.user, group: ICONS.group };

function grantRow(ctx, grant) {
  const { t } = ctx;
  const type = t.has(`grant.type.${grant.type}`) ? t(`grant.type.${grant.type}`) : t('grant.type.other', { type: grant.type || '' });
  let expiry;
  let expiryTone = 'muted';
  if (grant.expired) {
    expiry = t('grant.expired_on', { date: formatDate(grant.expires_at, t.locale) });
    expiryTone = 'danger';
  } else if (grant.expires_at) {
    const days = daysUntil(grant.expires_at, ctx.now());
    expiry = t('grant.expires_on', { date: formatDate(grant.expires_at, t.locale), count: days });
    if (days !== null && days <= ctx.settings.expiringSoonDays) expiryTone = 'warning';
  } else {
    expiry = t('grant.no_expiry');
  }
  let downloads;
  let downloadsTone = 'muted';
  if (grant.max_downloads === null || grant.max_downloads === undefined) {
    downloads = t('grant.unlimited_downloads');
  } else if (grant.downloads_left === 0) {
    downloads = t('grant.no_downloads_left', { max: grant.max_downloads });
    downloadsTone = 'danger';
  } else {
    downloads = t('grant.downloads_left', { count: grant.downloads_left ?? grant.max_downloads, max: grant.max_downloads });
  }
  return h(
    'li',
    { class: 'grant', 'data-testid': 'grant-row', 'data-grant-type': grant.type || '', 'data-expired': String(Boolean(grant.expired)) },
    h('span', { class: 'grant-icon' }, icon(GRANT_ICONS[grant.type] || ICONS.key, { size: 16 })),
    h(
      'span',
      { class: 'grant-body' },
      h('span', { class: 'grant-type' }, type),
      h('span', { class: `grant-detail grant-detail--${expiryTone}` }, expiry),
      h('span', { class: `grant-detail grant-detail--${downloadsTone}` }, downloads),
    ),
  );
}

function breadcrumb(ctx, detail) {
  const path = Array.isArray(detail.path) && detail.path.length ? detail.path : [{ id: detail.id, kind: detail.kind, name: detail.name }];
  const last = path.length - 1;
  return h(
    'nav',
    { class: 'breadcrumb', 'data-testid': 'breadcrumb', 'aria-label': ctx.t('detail.breadcrumb') },
    h(
      'ol',
      null,
      path.map((step, index) =>
        h(
          'li',
          null,
          index === last || step.id === detail.id
            ? h('span', { class: 'crumb crumb--current', 'aria-current': 'page' }, step.name)
            : h(
                'button',
                {
                  type: 'button',
                  class: 'crumb',
                  'data-id': step.id,
                  'data-kind': step.kind,
                  on: { click: (event) => ctx.nav.open({ kind: step.kind, id: step.id, name: step.name }, event.currentTarget) },
                },
                step.name,
              ),
        ),
      ),
    ),
  );
}

export function createGalleryView(ctx, item) {
  const { t } = ctx;
  const kind = item.kind === 'collection' ? 'collection' : 'gallery';
  const body = h('div', { class: 'detail-body' });
  const el = h(
    'div',
    { class: 'view view--detail', 'data-testid': 'gallery-detail', 'data-kind': kind, 'data-id': item.id },
    backBar(ctx),
    body,
  );
  let heading = null;
  const children = { items: [], paging: null, page: 1 };
  const selectAllUpdaters = [];

  const fetchPage = (page) =>
    kind === 'collection' ? ctx.api.collection(item.id, { page, perPage: PER_PAGE }) : ctx.api.gallery(item.id, { page, perPage: PER_PAGE });

  function childBlock(detail) {
    const block = detail.kind === 'collection' || kind === 'collection' ? detail.children : detail.media;
    return block || { items: [], paging: null };
  }

  function renderChildren(list, more, childKind) {
    if (!children.items.length) {
      mount(list, h('p', { class: 'muted' }, t(childKind === 'media' ? 'detail.no_media' : 'detail.no_children')));
    } else {
      // A gallery's images share its access (shown once in the header), so their tiles skip badges.
      mount(
        list,
        cardGroup(ctx, children.items, {
          onOpen: (child, opener) => ctx.nav.open(child, opener),
          kind: childKind,
          showBadges: childKind !== 'media',
        }),
      );
    }
    if (children.paging && children.paging.has_next) {
      mount(more, loadMoreButton(ctx, () => loadMore(list, more, childKind)));
    } else {
      mount(more);
    }
  }

  async function loadMore(list, more, childKind) {
    const page = children.page + 1;
    mount(more, skeletonTiles(2), h('button', { type: 'button', class: 'btn btn--block', disabled: true, 'data-testid': 'load-more' }, t('state.loading')));
    try {
      const detail = await fetchPage(page);
      const block = childBlock(detail);
      const seen = new Set(children.items.map((c) => c.id));
      const fresh = (block.items || []).filter((c) => !seen.has(c.id));
      children.items = children.items.concat(fresh);
      children.paging = block.paging || null;
      children.page = page;
      renderChildren(list, more, childKind);
      selectAllUpdaters.forEach((update) => update());
      const first = fresh.length && list.querySelector(`[data-id="${CSS.escape(fresh[0].id)}"]`);
      if (first) first.focus();
    } catch (error) {
      mount(more, errorState(ctx, error, () => loadMore(list, more, childKind)));
    }
  }

  /** Insert link, plus "Share gallery" (a tracked, expiring link for the whole gallery). */
  function detailActions(detail, total) {
    const actions = insertLinkAction(ctx, () => linkHtml(detail.link, detail.name));
    if (kind !== 'gallery' || !ctx.nav.shareGallery) return actions;
    const first = children.items.find((c) => c.thumbnail_url);
    const share = h(
      'button',
      {
        type: 'button',
        class: 'btn btn--small',
        'data-testid': 'share-gallery',
        on: {
          click: (event) =>
            ctx.nav.shareGallery(
              { id: detail.id, name: detail.name, thumbnail_url: first ? first.thumbnail_url : null, count: total },
              event.currentTarget,
            ),
        },
      },
      icon(ICONS.share, { size: 14 }),
      t('action.share_gallery'),
    );
    actions.insertBefore(share, actions.children[1] || null);
    return actions;
  }

  /** "Select all 14" / "Select the 12 shown" / "Unselect all": the images loaded so far. */
  function selectAllButton() {
    if (!ctx.selection) return null;
    const button = h('button', { type: 'button', class: 'btn btn--link', 'data-testid': 'select-all' });
    const media = () => children.items.filter((c) => c.kind === 'media');
    const update = () => {
      const items = media();
      const all = items.length > 0 && items.every((c) => ctx.selection.has(c.id));
      const total = children.paging && typeof children.paging.total === 'number' ? children.paging.total : null;
      const label = selectAllLabel({ loaded: items.length, total, allSelected: all });
      button.textContent = t(label.key, { count: label.count });
      button.hidden = items.length === 0;
      button.setAttribute('data-state', all ? 'all' : 'some');
    };
    button.addEventListener('click', () => {
      const items = media();
      if (items.length && items.every((c) => ctx.selection.has(c.id))) items.forEach((c) => ctx.selection.remove(c.id));
      else for (const c of items) if (!ctx.selection.add(c).ok && ctx.selection.isFull()) break;
      update();
    });
    ctx.selection.subscribe(update);
    selectAllUpdaters.push(update);
    update();
    return button;
  }

  function render(detail) {
    const block = childBlock(detail);
    children.items = block.items || [];
    children.paging = block.paging || null;
    children.page = 1;
    const childKind = kind === 'collection' ? 'container' : 'media';
    const list = h('div', { class: 'children' });
    const more = h('div', { class: 'more' });
    const grants = Array.isArray(detail.grants) ? detail.grants : [];
    heading = h('h2', { class: 'detail-title', tabindex: '-1' }, detail.name || detail.id);
    const total = children.paging ? children.paging.total : children.items.length;

    mount(
      body,
      breadcrumb(ctx, detail),
      h(
        'header',
        { class: 'detail-head' },
        h('span', { class: 'detail-kind' }, icon(ICONS[kind], { size: 16 }), t(`kind.${kind}`)),
        heading,
        badgeList(ctx, detail.access),
      ),
      reasonCallout(ctx, detail.access),
      detail.description ? h('p', { class: 'detail-description' }, detail.description) : null,
      detailActions(detail, total),
      h(
        'section',
        { class: 'detail-section', 'data-section': 'grants' },
        sectionHeading(t('detail.grants'), grants.length),
        grants.length
          ? h('ul', { class: 'grant-list' }, grants.map((g) => grantRow(ctx, g)))
          : h('p', { class: 'muted', 'data-testid': 'no-grants' }, t(detail.access && detail.access.status === 'public' ? 'detail.no_grants_public' : 'detail.no_grants')),
      ),
      h(
        'section',
        { class: 'detail-section', 'data-section': 'children' },
        sectionHeading(t(kind === 'collection' ? 'detail.children' : 'detail.media'), total, childKind === 'media' ? selectAllButton() : null),
        list,
        more,
      ),
    );
    renderChildren(list, more, childKind);
  }

  const focusing = headingFocus(el, () => heading);

  async function load() {
    mount(body, loadingBlock(ctx, { rows: 2, tiles: 4 }));
    try {
      const detail = await fetchPage(1);
      render(detail);
      focusing.settle();
    } catch (error) {
      mount(body, errorState(ctx, error, load));
    }
  }

  return {
    el,
    start: load,
    focus: () => focusing.focus(),
  };
}
