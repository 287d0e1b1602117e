// The Delivered tab: what this ticket received (attachments and share links, newest first), each
// share with its live status, link, Copy and Revoke; failed deliveries with their error and Retry.

import { deliveryErrorText } from '../delivery.js';
import { h, icon, mount } from '../dom.js';
import { formatDate, formatDateTime, formatRelative } from '../format.js';
import { ICONS } from '../icons.js';
import { canRevoke, deliveryBadge, shareBadges } from '../shares.js';
import { emptyState, errorState, fileNameLabel, linkField, skeletonRows, tag } from './common.js';

const MAX_FILES_SHOWN = 3;

function kindIcon(kind) {
  return icon(kind === 'share' ? ICONS.link : ICONS.paperclip, { size: 16 });
}

export function createDeliveredView(ctx) {
  const { t } = ctx;
  const rows = new Map(); // delivery id -> {json, el}
  const list = h('ol', { class: 'delivery-list', 'aria-label': t('delivered.list') });
  const body = h('div', { class: 'delivered-body' });
  const count = h('span', { class: 'count' });
  const refresh = h(
    'button',
    { type: 'button', class: 'btn btn--basic btn--small btn--flush', 'data-testid': 'refresh-deliveries', title: t('delivered.refresh') },
    icon(ICONS.refresh, { size: 14 }),
    t('delivered.refresh'),
  );
  const heading = h('h2', { class: 'section-title', tabindex: '-1' }, t('delivered.title'), count);
  const status = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const el = h(
    'div',
    { class: 'view view--delivered', 'data-view': 'delivered' },
    h('div', { class: 'section-heading section-heading--center' }, heading, refresh),
    body,
    status,
  );

  refresh.addEventListener('click', () => ctx.ticket.refreshDeliveries());

  // ------------------------------------------------------------------ pieces of a row

  function fileChips(delivery) {
    const chips = h('ul', { class: 'file-chips', 'aria-label': t('delivered.files') });
    const ids = Array.isArray(delivery.media_ids) ? delivery.media_ids : [];
    if (!ids.length && delivery.gallery_id) {
      const known = ctx.galleries.get(delivery.gallery_id);
      const chip = h('li', { class: 'file-chip file-chip--gallery' }, icon(ICONS.gallery, { size: 12 }), known && known.name ? known.name : delivery.gallery_id);
      if (!known || !known.name) {
        ctx.galleries.resolve(delivery.gallery_id).then((item) => {
          if (item && item.name) chip.lastChild.textContent = item.name;
        });
      }
      chips.appendChild(chip);
      return chips;
    }
    ids.slice(0, MAX_FILES_SHOWN).forEach((id) => {
      const known = ctx.media.get(id);
      let label = known && known.file_name ? fileNameLabel(known.file_name, { className: 'file-chip-name' }) : h('span', { class: 'file-chip-name' }, id);
      const chip = h('li', { class: 'file-chip', title: id }, icon(ICONS.image, { size: 12 }), label);
      if (!known || !known.file_name) {
        ctx.media.resolve(id).then((item) => {
          if (!item || !item.file_name) return;
          const named = fileNameLabel(item.file_name, { className: 'file-chip-name' });
          label.replaceWith(named);
          label = named;
        });
      }
      chips.appendChild(chip);
    });
    if (ids.length > MAX_FILES_SHOWN) {
      chips.appendChild(h('li', { class: 'file-chip file-chip--more' }, t('delivered.more_files', { count: ids.length - MAX_FILES_SHOWN })));
    }
    return chips;
  }

  function titleText(delivery) {
    const n = Array.isArray(delivery.media_ids) ? delivery.media_ids.length : 0;
    if (delivery.kind === 'share') return n ? t('delivered.shared_images', { count: n }) : t('delivered.shared_gallery');
    return t('delivered.attached', { count: n });
  }

  function wayText(delivery) {
    if (delivery.kind === 'share') return t(delivery.public ? 'delivered.way_reply' : 'delivered.way_note');
    return t(delivery.public ? 'delivered.way_public' : 'delivered.way_internal');
  }

  function shareMeta(share) {
    const parts = [];
    if (share.status === 'revoked' && share.revoked_at) parts.push(t('delivered.revoked_on', { date: formatDate(share.revoked_at, t.locale) }));
    else if (share.status === 'expired') parts.push(t('delivered.expired_on', { date: formatDate(share.expires_at, t.locale) }));
    else if (share.expires_at) parts.push(t('delivered.expires_on', { date: formatDate(share.expires_at, t.locale) }));
    if (share.allow_download === false) parts.push(t('delivered.view_only'));
    else if (share.max_downloads) parts.push(t('delivered.downloads_used', { count: share.downloads || 0, max: share.max_downloads }));
    else if (share.downloads) parts.push(t('delivered.downloads', { count: share.downloads }));
    return parts.join(t('delivered.separator'));
  }

  function inlineError(error, kind, onRetry) {
    const text = deliveryErrorText(t, error, { kind });
    return h(
      'div',
      { class: 'callout callout--red callout--compact row-error', role: 'alert', 'data-testid': 'row-error', 'data-code': (error && error.code) || 'error' },
      icon(ICONS.alert, { size: 16, className: 'icon callout-icon' }),
      h(
        'div',
        { class: 'callout-body' },
        h('p', { class: 'callout-text' }, text.message),
        text.hint ? h('p', { class: 'callout-hint' }, text.hint) : null,
        onRetry && text.retry !== 'none' && text.retry !== 'edit'
          ? h('button', { type: 'button', class: 'btn btn--small', on: { click: onRetry } }, icon(ICONS.refresh, { size: 14 }), t('action.retry'))
          : null,
      ),
    );
  }

  function revokeArea(share, delivery) {
    const area = h('div', { class: 'share-actions' });
    const button = h(
      'button',
      { type: 'button', class: 'btn btn--small btn--danger-basic', 'data-testid': 'revoke-button' },
      icon(ICONS.ban, { size: 14 }),
      t('delivered.revoke'),
    );

    function idle() {
      mount(area, button);
    }

    async function revoke() {
      mount(
        area,
        h('p', { class: 'inline-progress', role: 'status', 'data-testid': 'revoke-progress' }, h('span', { class: 'spinner spinner--small', 'aria-hidden': 'true' }), t('delivered.revoking')),
      );
      try {
        const updated = await ctx.api.revokeShare(share.id);
        status.textContent = t('delivered.revoked_status');
        ctx.ticket.applyShare({ ...share, ...(updated || {}), id: share.id, status: (updated && updated.status) || 'revoked' });
        // The agent who just revoked the link needs no banner telling them it stopped working.
        if (share.link && ctx.nav && ctx.nav.resolveBrokenLink) ctx.nav.resolveBrokenLink(share.link);
        const row = rows.get(delivery.id);
        const target = row && row.el.querySelector('.delivery-title');
        if (target) target.focus();
      } catch (error) {
        mount(area, inlineError(error, 'revoke', revoke), button);
      }
    }

    function ask() {
      const yes = h(
        'button',
        { type: 'button', class: 'btn btn--small btn--danger', 'data-testid': 'confirm-revoke', on: { click: revoke } },
        t('delivered.revoke_confirm'),
      );
      const no = h(
        'button',
        {
          type: 'button',
          class: 'btn btn--small btn--basic',
          'data-testid': 'cancel-revoke',
          on: {
            click: () => {
              idle();
              button.focus();
            },
          },
        },
        t('delivered.revoke_keep'),
      );
      const box = h(
        'div',
        { class: 'confirm-box', role: 'group', 'aria-label': t('delivered.revoke_question') },
        h('p', { class: 'confirm-text' }, t('delivered.revoke_question')),
        h('div', { class: 'actions' }, yes, no),
      );
      box.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          idle();
          button.focus();
        }
      });
      mount(area, box);
      yes.focus();
    }

    button.addEventListener('click', ask);
    idle();
    return area;
  }

  function shareBlock(share, delivery) {
    const badges = shareBadges(share, t, { now: ctx.now() });
    const live = share.status === 'active' || share.status === 'expiring';
    return h(
      'div',
      { class: `share share--${share.status}`, 'data-testid': 'share', 'data-id': share.id, 'data-status': share.status },
      delivery.kind === 'attachment' ? h('p', { class: 'hint' }, t('delivered.fallback_share')) : null,
      h(
        'div',
        { class: 'share-head' },
        h('span', { class: 'badges share-status', 'data-testid': 'share-status', 'data-status': share.status }, badges.map((b) => tag(b))),
        h('span', { class: 'share-meta' }, shareMeta(share)),
      ),
      share.link ? linkField(ctx, share.link, { copy: live || share.status === 'exhausted' }) : null,
      !live && share.status !== 'revoked' && share.reason ? h('p', { class: 'hint' }, share.reason) : null,
      canRevoke(share) ? revokeArea(share, delivery) : null,
    );
  }

  function retryArea(delivery) {
    const area = h('div', { class: 'row-retry' });
    const button = h(
      'button',
      { type: 'button', class: 'btn btn--small', 'data-testid': 'delivery-retry' },
      icon(ICONS.refresh, { size: 14 }),
      t('action.retry'),
    );

    async function retry() {
      mount(area, h('p', { class: 'inline-progress', role: 'status' }, h('span', { class: 'spinner spinner--small', 'aria-hidden': 'true' }), t('deliver.progress_retry')));
      try {
        const result = await ctx.api.retryDelivery(delivery.id);
        if (result && result.kind === 'share' && result.public && result.html) {
          try {
            await ctx.client.invoke('ticket.comment.appendHtml', result.html);
            status.textContent = t('deliver.inserted');
          } catch {
            status.textContent = t('deliver.insert_failed');
          }
        } else {
          status.textContent = t('delivered.retried');
        }
        ctx.ticket.upsert(result || {});
        ctx.ticket.refreshDeliveries({ quiet: false });
      } catch (error) {
        if (error && error.status === 409) {
          ctx.ticket.refreshDeliveries();
          return;
        }
        mount(area, inlineError(error, delivery.kind === 'share' ? 'share' : 'attach', retry));
      }
    }

    button.addEventListener('click', retry);
    mount(area, button);
    return area;
  }

  function row(delivery) {
    const shares = Array.isArray(delivery.shares) ? delivery.shares : [];
    const badge = deliveryBadge(delivery, t);
    const showBadge = delivery.kind !== 'share' || !['delivered', 'revoked'].includes(delivery.status);
    const recipients = Array.isArray(delivery.recipients) ? delivery.recipients : [];
    const time = h('time', { datetime: delivery.created_at || '', title: formatDateTime(delivery.created_at, t.locale) }, formatRelative(delivery.created_at, ctx.now(), t.locale));
    return h(
      'li',
      {
        class: `delivery-row delivery-row--${delivery.status}`,
        'data-testid': 'delivery-row',
        'data-status': delivery.status || '',
        'data-kind': delivery.kind || '',
        'data-id': delivery.id || '',
      },
      h(
        'div',
        { class: 'delivery-head' },
        h('span', { class: `delivery-icon delivery-icon--${delivery.kind}` }, kindIcon(delivery.kind)),
        h(
          'div',
          { class: 'delivery-main' },
          h('p', { class: 'delivery-title', tabindex: '-1' }, titleText(delivery)),
          h('p', { class: 'delivery-meta' }, time, t('delivered.separator'), wayText(delivery)),
        ),
        showBadge ? tag(badge, { 'data-testid': 'delivery-status' }) : null,
      ),
      fileChips(delivery),
      recipients.length ? h('p', { class: 'delivery-recipients' }, icon(ICONS.mail, { size: 12 }), t('delivered.to', { list: recipients.join(', ') })) : null,
      delivery.note ? h('p', { class: 'delivery-note' }, delivery.note) : null,
      delivery.status === 'failed'
        ? h(
            'div',
            { class: 'row-failure' },
            h(
              'div',
              { class: 'callout callout--red callout--compact' },
              icon(ICONS.alert, { size: 16, className: 'icon callout-icon' }),
              h('p', { class: 'callout-text', 'data-testid': 'delivery-error' }, (delivery.error && delivery.error.message) || t('delivered.failed_unknown')),
            ),
            retryArea(delivery),
          )
        : null,
      shares.map((share) => shareBlock(share, delivery)),
    );
  }

  // ------------------------------------------------------------------ rendering

  function renderList(items) {
    const seen = new Set();
    const children = items.map((delivery) => {
      const json = JSON.stringify(delivery);
      seen.add(delivery.id);
      const existing = rows.get(delivery.id);
      if (existing && existing.json === json) return existing.el;
      const el = row(delivery);
      rows.set(delivery.id, { json, el });
      return el;
    });
    for (const id of [...rows.keys()]) if (!seen.has(id)) rows.delete(id);
    // Keep elements in place (focus and half-done confirmations survive a refresh).
    children.forEach((child, index) => {
      if (list.children[index] !== child) list.insertBefore(child, list.children[index] || null);
    });
    while (list.children.length > children.length) list.lastChild.remove();
  }

  function render() {
    const state = ctx.ticket.state;
    const items = state.deliveries;
    count.textContent = Array.isArray(items) ? String(items.length) : '';
    refresh.disabled = state.deliveriesStatus === 'loading';
    el.setAttribute('aria-busy', String(state.deliveriesStatus === 'loading'));
    if (items === null) {
      if (state.deliveriesStatus === 'error') {
        mount(body, errorState(ctx, state.deliveriesError, () => ctx.ticket.refreshDeliveries()));
      } else {
        mount(body, h('div', { class: 'loading', 'aria-busy': 'true' }, h('span', { class: 'sr-only' }, t('state.loading')), skeletonRows(3)));
      }
      return;
    }
    if (!items.length) {
      rows.clear();
      list.replaceChildren();
      mount(
        body,
        state.deliveriesStatus === 'error' ? errorState(ctx, state.deliveriesError, () => ctx.ticket.refreshDeliveries()) : null,
        emptyState(t('delivered.empty'), t('delivered.empty_hint'), null, { glyph: ICONS.inbox }),
      );
      return;
    }
    renderList(items);
    const stale =
      state.deliveriesStatus === 'error'
        ? h(
            'p',
            { class: 'field-error', role: 'alert', 'data-testid': 'deliveries-stale' },
            t('delivered.stale'),
            ' ',
            h('button', { type: 'button', class: 'btn btn--link', on: { click: () => ctx.ticket.refreshDeliveries() } }, t('action.retry')),
          )
        : null;
    if (stale || body.firstChild !== list || body.children.length > 1) mount(body, stale, list);
  }

  ctx.ticket.subscribe(render);

  return {
    el,
    start: () => {
      render();
      ctx.ticket.refreshDeliveries();
    },
    render,
    focus: () => heading.focus(),
  };
}
