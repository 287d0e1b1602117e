// Media preview: large image, file facts, IPTC caption/credit/keywords, galleries it is in.

import { h, mount } from '../dom.js';
import { formatBytes, formatDate, formatDimensions } from '../format.js';
import { linkHtml } from '../links.js';
import {
  backBar,
  badgeList,
  cardGroup,
  errorState,
  insertLinkAction,
  reasonCallout,
  sectionHeading,
  selectToggle,
  skeletonRows,
  thumbnail,
} from './common.js';

function fact(label, value) {
  if (!value) return null;
  return [h('dt', null, label), h('dd', null, value)];
}

export function createMediaView(ctx, item) {
  const { t } = ctx;
  const body = h('div', { class: 'detail-body' });
  const el = h('div', { class: 'view view--detail', 'data-testid': 'media-preview', 'data-kind': 'media', 'data-id': item.id }, backBar(ctx), body);
  let heading = null;

  function preview(detail) {
    const figure = thumbnail(detail.preview_url || detail.thumbnail_url, 'media', {
      className: 'preview',
      alt: (detail.iptc && (detail.iptc.title || detail.iptc.headline)) || detail.file_name || '',
    });
    if (detail.width && detail.height) {
      figure.setAttribute('style', `aspect-ratio: ${Number(detail.width)} / ${Number(detail.height)}`);
    }
    return figure;
  }

  /** Insert link, plus a "Select" checkbox that adds the image to the selection bar. */
  function mediaActions(detail, name) {
    const actions = insertLinkAction(ctx, () => linkHtml(detail.preview_url, name));
    if (!ctx.selection) return actions;
    const selectable = { ...detail, kind: 'media', id: detail.id || item.id };
    if (ctx.media) ctx.media.remember(selectable);
    actions.insertBefore(selectToggle(ctx, selectable, { className: 'select-pill', label: t('selection.select_this') }), actions.children[1] || null);
    return actions;
  }

  function render(detail) {
    const iptc = detail.iptc || {};
    const keywords = Array.isArray(iptc.keywords) ? iptc.keywords : [];
    const galleries = Array.isArray(detail.galleries) ? detail.galleries : [];
    const name = detail.file_name || detail.id;
    heading = h('h2', { class: 'detail-title detail-title--file', tabindex: '-1' }, name);
    mount(
      body,
      preview(detail),
      h(
        'header',
        { class: 'detail-head' },
        heading,
        iptc.title ? h('p', { class: 'detail-subtitle' }, iptc.title) : null,
        badgeList(ctx, detail.access),
      ),
      reasonCallout(ctx, detail.access),
      mediaActions(detail, name),
      h(
        'dl',
        { class: 'facts' },
        fact(t('media.size'), formatBytes(detail.file_size, t, t.locale)),
        fact(t('media.dimensions'), formatDimensions(detail.width, detail.height, t, t.locale)),
        fact(t('media.created'), formatDate(detail.created_at, t.locale)),
        fact(t('media.credit'), iptc.credit),
        fact(t('media.copyright'), iptc.copyright),
        fact(t('media.location'), [iptc.city, iptc.country].filter(Boolean).join(t('format.separator'))),
      ),
      iptc.caption
        ? h('section', { class: 'detail-section' }, sectionHeading(t('media.caption')), h('p', { class: 'caption' }, iptc.caption))
        : null,
      keywords.length
        ? h(
            'section',
            { class: 'detail-section' },
            sectionHeading(t('media.keywords'), keywords.length),
            h('ul', { class: 'chips', 'aria-label': t('media.keywords') }, keywords.map((k) => h('li', { class: 'chip', 'data-testid': 'keyword' }, k))),
          )
        : null,
      h(
        'section',
        { class: 'detail-section', 'data-section': 'galleries' },
        sectionHeading(t('media.galleries'), galleries.length),
        galleries.length
          ? cardGroup(ctx, galleries, { onOpen: (g, opener) => ctx.nav.open(g, opener), kind: 'gallery' })
          : h('p', { class: 'muted' }, t('media.no_galleries')),
      ),
    );
  }

  async function load() {
    mount(
      body,
      h(
        'div',
        { class: 'loading', 'aria-busy': 'true' },
        h('span', { class: 'sr-only' }, t('state.loading')),
        h('div', { class: 'skeleton skeleton--preview', 'data-testid': 'skeleton', 'aria-hidden': 'true' }, h('span', { class: 'shimmer shimmer--preview' })),
        skeletonRows(2),
      ),
    );
    try {
      render(await ctx.api.media(item.id));
    } catch (error) {
      mount(body, errorState(ctx, error, load));
    }
  }

  return {
    el,
    start: load,
    focus: () => (heading && heading.isConnected ? heading : el.querySelector('[data-testid="back-button"]')).focus(),
  };
}
