// The banner over the sidebar when a link in the conversation does not work: why, in plain words,
// and a one-click Re-share (or the troubleshooter when there is nothing to re-share). Dismissible;
// dismissing one shows the next broken link, if any.

import { bannerCause, brokenLinks, reshareTarget } from '../brokenlinks.js';
import { h, icon, mount } from '../dom.js';
import { ICONS } from '../icons.js';

function shortUrl(url) {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.length > 28 ? `${parsed.pathname.slice(0, 12)}…${parsed.pathname.slice(-14)}` : parsed.pathname;
    return `${parsed.host}${path}`;
  } catch {
    return String(url);
  }
}

export function createBanner(ctx, { onReshare, onTroubleshoot }) {
  const { t } = ctx;
  const dismissed = new Set();
  const el = h('div', { class: 'banner-slot' });
  let shown = null;

  function render() {
    const links = brokenLinks(ctx.ticket.state.links).filter((link) => !dismissed.has(link.url));
    // Store updates that do not change the broken links leave the banner (and its focus) alone.
    const signature = JSON.stringify(links.map((link) => [link.url, link.cause, link.container_id, link.reason]));
    if (signature === shown) return;
    shown = signature;
    if (!links.length) {
      const hadFocus = el.contains(document.activeElement);
      mount(el);
      if (hadFocus && ctx.focusBrowse) ctx.focusBrowse();
      return;
    }
    const link = links[0];
    const cause = bannerCause(link);
    const target = reshareTarget(link);
    const action = target
      ? h(
          'button',
          { type: 'button', class: 'btn btn--primary btn--small', 'data-testid': 'reshare-button', on: { click: (event) => onReshare(link, event.currentTarget) } },
          icon(ICONS.refresh, { size: 14 }),
          t('banner.reshare'),
        )
      : h(
          'button',
          { type: 'button', class: 'btn btn--small', 'data-testid': 'banner-troubleshoot', on: { click: (event) => onTroubleshoot(link, event.currentTarget) } },
          icon(ICONS.tools, { size: 14 }),
          t('banner.troubleshoot'),
        );
    const dismiss = h(
      'button',
      {
        type: 'button',
        class: 'icon-btn banner-dismiss',
        'data-testid': 'dismiss-banner',
        'aria-label': t('banner.dismiss'),
        title: t('banner.dismiss'),
        on: {
          click: () => {
            dismissed.add(link.url);
            render();
            const next = el.querySelector('[data-testid="dismiss-banner"]');
            if (next) next.focus();
          },
        },
      },
      icon(ICONS.close, { size: 14 }),
    );
    mount(
      el,
      h(
        'section',
        {
          class: 'banner callout callout--yellow',
          role: 'region',
          'aria-label': t('banner.region'),
          'data-testid': 'broken-link-banner',
          'data-cause': link.cause || 'unknown',
          'data-url': link.url,
        },
        icon(ICONS.alert, { size: 16, className: 'icon callout-icon' }),
        h(
          'div',
          { class: 'callout-body callout-body--wide' },
          h('p', { class: 'callout-title' }, t(`banner.cause.${cause}`)),
          link.reason ? h('p', { class: 'callout-text', 'data-testid': 'banner-reason' }, link.reason) : null,
          h('p', { class: 'banner-url', title: link.url }, icon(ICONS.link, { size: 12 }), shortUrl(link.url)),
          target ? null : h('p', { class: 'callout-hint' }, t('banner.no_target')),
          h(
            'div',
            { class: 'banner-actions' },
            action,
            links.length > 1 ? h('span', { class: 'banner-more' }, t('banner.more', { count: links.length - 1 })) : null,
          ),
        ),
        dismiss,
      ),
    );
  }

  /** A re-share replaced this link: stop warning about it. */
  function resolve(url) {
    if (!url || dismissed.has(url)) return;
    const hadFocus = el.contains(document.activeElement);
    dismissed.add(url);
    render();
    const next = hadFocus && el.querySelector('[data-testid="dismiss-banner"]');
    if (next) next.focus();
  }

  ctx.ticket.subscribe(render);
  render();
  return { el, render, resolve };
}
