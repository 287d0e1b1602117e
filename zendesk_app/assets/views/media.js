// Media preview: large image, file facts, IPTC caption/credit/keywords, galleries it is in.

import { h, headingFocus, icon, mount } from '../dom.js';
import { formatBytes, formatDate, formatDimensions } from '../format.js';
import { ICONS } from '../icons.js';
import { directLinkPolicy, linkHtml } from '../links.js';
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
  wrappingFileName,
} from './common.js';

// Why an image gets "Share" instead of "Insert link" (see links.js directLinkPolicy).
const SHARE_HINTS = {
  password: 'media.share_hint.password',
  restricted: 'media.share_hint.restricted',
  private: 'media.share_hint.private',
  expired: 'media.share_hint.expired',
  unknown: 'media.share_hint.unknown',
};

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

  /**
   * "Share" (a tracked link for this one image) with a hint why, for images that are not open to
   * everyone: their direct preview URL would skip the password, invitation, privacy or expiry.
   */
  function shareAction(detail, reason) {
    const hintId = `share-hint-${item.id}`;
    const button = h(
      'button',
      {
        type: 'button',
        class: 'btn btn--primary btn--small',
        'data-testid': 'share-media',
        'aria-describedby': hintId,
        on: {
          click: (event) =>
            ctx.nav.openDelivery({ mode: 'share', items: [{ ...detail, kind: 'media', id: detail.id || item.id }] }, event.currentTarget),
        },
      },
      icon(ICONS.share, { size: 14 }),
      t('action.share'),
    );
    const hint = h('p', { class: 'action-hint', id: hintId, 'data-testid': 'share-hint', 'data-reason': reason }, t(SHARE_HINTS[reason] || SHARE_HINTS.unknown));
    return { actions: h('div', { class: 'actions' }, button), hint };
  }

  /** Insert link (open images) or Share (the rest), plus a "Select" checkbox for the selection bar. */
  function mediaActions(detail, name) {
    const policy = directLinkPolicy(detail.access);
    const canShare = Boolean(ctx.nav && ctx.nav.openDelivery);
    const { actions, hint } =
      policy.insert || !canShare
        ? { actions: insertLinkAction(ctx, () => (policy.insert ? linkHtml(detail.preview_url, name) : null)), hint: null }
        : shareAction(detail, policy.reason);
    if (ctx.selection) {
      const selectable = { ...detail, kind: 'media', id: detail.id || item.id };
      if (ctx.media) ctx.media.remember(selectable);
      actions.insertBefore(selectToggle(ctx, selectable, { className: 'select-pill', label: t('selection.select_this') }), actions.children[1] || null);
    }
    return hint ? h('div', { class: 'action-block' }, actions, hint) : actions;
  }

  function render(detail) {
    const iptc = detail.iptc || {};
    const keywords = Array.isArray(iptc.keywords) ? iptc.keywords : [];
    const galleries = Array.isArray(detail.galleries) ? detail.galleries : [];
    const name = detail.file_name || detail.id;
    heading = h('h2', { class: 'detail-title detail-title--file', tabindex: '-1' }, wrappingFileName(name));
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

  const focusing = headingFocus(el, () => heading);

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
