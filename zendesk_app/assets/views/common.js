// Building blocks shared by the views: badges, cards, skeletons, empty/error states, back bar.

import { accessBadges } from '../badges.js';
import { h, icon } from '../dom.js';
import { fileNameParts, fileNameRuns } from '../format.js';
import { ICONS } from '../icons.js';
import { safeUrl } from '../links.js';

const TONE_SEVERITY = ['grey', 'green', 'blue', 'yellow', 'red'];
const KIND_ICONS = { gallery: ICONS.gallery, collection: ICONS.collection, media: ICONS.image };

export function badgesFor(ctx, access) {
  return accessBadges(access, ctx.t, { now: ctx.now(), expiringSoonDays: ctx.settings.expiringSoonDays });
}

/** The most severe tone of a badge list (for the reason callout). */
export function worstTone(badges) {
  return badges.reduce(
    (worst, b) => (TONE_SEVERITY.indexOf(b.tone) > TONE_SEVERITY.indexOf(worst) ? b.tone : worst),
    'grey',
  );
}

export function badgeList(ctx, access, { className = 'badges' } = {}) {
  const badges = badgesFor(ctx, access);
  return h(
    'span',
    { class: className },
    badges.map((b) =>
      h('span', { class: `badge badge--${b.tone}`, 'data-testid': 'badge', 'data-tone': b.tone, 'data-badge': b.id }, b.text),
    ),
  );
}

export function kindIcon(kind, size = 20) {
  return icon(KIND_ICONS[kind] || ICONS.image, { size, className: 'icon icon--kind' });
}

/** A thumbnail that falls back to the kind's placeholder icon when missing or broken. */
export function thumbnail(url, kind, { className = 'thumb', alt = '' } = {}) {
  const box = h('span', { class: `${className} ${className}--${kind}` });
  const placeholder = () => box.replaceChildren(h('span', { class: 'thumb-placeholder' }, kindIcon(kind, 24)));
  if (!url) {
    placeholder();
    return box;
  }
  const img = h('img', { src: url, alt, loading: 'lazy', decoding: 'async', draggable: 'false' });
  img.addEventListener('error', placeholder, { once: true });
  box.appendChild(img);
  return box;
}

/**
 * A file name on one line, cut in the middle when it does not fit ("NW_PressTr…0374.jpg"): the
 * start shrinks with an ellipsis, the distinguishing end (number + extension) stays. Its text is
 * the whole name, which `title` shows on hover.
 */
export function fileNameLabel(name, { className = '', title = true } = {}) {
  const text = String(name ?? '');
  const { head, tail } = fileNameParts(text);
  return h(
    'span',
    { class: ['fname', className], title: title ? text : null },
    head ? h('span', { class: 'fname-head' }, head) : null,
    h('span', { class: 'fname-tail' }, tail),
  );
}

/** A file name as text runs with a line-break opportunity after each "_", "-" or space. */
export function wrappingFileName(name) {
  const runs = fileNameRuns(name);
  return runs.flatMap((run, index) => (index < runs.length - 1 ? [run, h('wbr')] : [run]));
}

function itemTitle(item) {
  return item.kind === 'media' ? item.file_name || item.id : item.name || item.id;
}

/**
 * A clickable result card (a real <button>: Tab, Enter and Space work natively).
 * Galleries/collections render as rows, media as tiles.
 */
export function itemCard(ctx, item, { onOpen, variant, showKind = true, showBadges = true, testId = 'result-card' } = {}) {
  const shape = variant || (item.kind === 'media' ? 'tile' : 'row');
  const title = itemTitle(item);
  const props = {
    type: 'button',
    class: `card card--${shape}`,
    'data-testid': testId,
    'data-kind': item.kind,
    'data-id': item.id,
    title,
    on: { click: (event) => onOpen && onOpen(item, event.currentTarget) },
  };
  if (shape === 'tile') {
    return h(
      'button',
      props,
      thumbnail(item.thumbnail_url, item.kind, { className: 'tile-thumb' }),
      h(
        'span',
        { class: 'tile-body' },
        item.kind === 'media' ? fileNameLabel(title, { className: 'card-title card-title--file', title: false }) : h('span', { class: 'card-title' }, title),
        showBadges ? badgeList(ctx, item.access) : null,
      ),
    );
  }
  return h(
    'button',
    props,
    thumbnail(item.thumbnail_url, item.kind, { className: 'row-thumb' }),
    h(
      'span',
      { class: 'card-body' },
      h('span', { class: 'card-title' }, title),
      showKind ? h('span', { class: 'card-meta' }, ctx.t(`kind.${item.kind}`)) : null,
      showBadges ? badgeList(ctx, item.access) : null,
    ),
    icon(ICONS.chevronRight, { size: 16, className: 'icon card-chevron' }),
  );
}

/**
 * The "select this image" checkbox (`select-toggle`, `data-select-id`). The app keeps every such
 * box in step with `ctx.selection`; at the 50-image limit the box springs back and the selection
 * bar says why.
 */
export function selectToggle(ctx, item, { className = 'tile-check', label = null } = {}) {
  const name = item.file_name || item.id;
  const input = h('input', {
    type: 'checkbox',
    class: 'check-input',
    'data-testid': 'select-toggle',
    'data-select-id': item.id,
    'aria-label': ctx.t('selection.select_item', { name }),
    checked: ctx.selection.has(item.id),
  });
  input.addEventListener('change', () => {
    const result = ctx.selection.toggle(item, input.checked);
    if (!result.ok) input.checked = false;
  });
  return h(
    'label',
    { class: className, title: ctx.t('selection.select_hint') },
    input,
    h('span', { class: 'check-box', 'aria-hidden': 'true' }, icon(ICONS.tick, { size: 12, className: 'icon check-tick' })),
    label ? h('span', { class: 'check-label' }, label) : null,
  );
}

/** A media tile with its selection checkbox over the thumbnail's corner. */
function selectableTile(ctx, item, card) {
  return h(
    'div',
    { class: 'tile-wrap', 'data-select-id': item.id, 'data-selected': String(ctx.selection.has(item.id)) },
    selectToggle(ctx, item),
    card,
  );
}

/**
 * Cards laid out for their kind: media in a 2-column grid, containers in a list. When the group
 * holds one kind (`gallery`, `collection`) the heading already says it, so rows skip the kind line.
 * Media tiles get a selection checkbox when the app has a selection (`ctx.selection`).
 */
export function cardGroup(ctx, items, { onOpen, kind, showBadges = true }) {
  const grid = kind === 'media';
  const showKind = kind !== 'gallery' && kind !== 'collection';
  return h(
    'div',
    { class: grid ? 'card-grid' : 'card-list', 'data-group': kind },
    items.map((item) => {
      if (ctx.media && item.kind === 'media') ctx.media.remember(item);
      if (ctx.galleries && item.kind === 'gallery') ctx.galleries.remember(item);
      const card = itemCard(ctx, item, { onOpen, showKind, showBadges });
      return grid && ctx.selection && item.kind === 'media' ? selectableTile(ctx, item, card) : card;
    }),
  );
}

export function skeletonRows(count = 3) {
  return Array.from({ length: count }, () =>
    h(
      'div',
      { class: 'skeleton skeleton--row', 'data-testid': 'skeleton', 'aria-hidden': 'true' },
      h('span', { class: 'shimmer shimmer--thumb' }),
      h('span', { class: 'skeleton-lines' }, h('span', { class: 'shimmer shimmer--line' }), h('span', { class: 'shimmer shimmer--line shimmer--short' })),
    ),
  );
}

export function skeletonTiles(count = 4) {
  return h(
    'div',
    { class: 'card-grid' },
    Array.from({ length: count }, () =>
      h(
        'div',
        { class: 'skeleton skeleton--tile', 'data-testid': 'skeleton', 'aria-hidden': 'true' },
        h('span', { class: 'shimmer shimmer--tile' }),
        h('span', { class: 'shimmer shimmer--line' }),
      ),
    ),
  );
}

/** Loading placeholder for a whole region (rows + tiles) with a screen-reader label. */
export function loadingBlock(ctx, { rows = 3, tiles = 4 } = {}) {
  return h(
    'div',
    { class: 'loading', 'aria-busy': 'true' },
    h('span', { class: 'sr-only' }, ctx.t('state.loading')),
    rows ? skeletonRows(rows) : null,
    tiles ? skeletonTiles(tiles) : null,
  );
}

/** What to tell the agent about a normalised API error: {title, message, hint}. */
export function describeError(t, error) {
  const err = error || {};
  const status = err.status || 0;
  let fallback = 'error.generic';
  if (err.code === 'not_configured') fallback = 'error.not_configured';
  else if (err.code === 'unexpected_response') fallback = 'error.unexpected_response';
  else if (status === 0) fallback = 'error.network';
  else if (status === 401) fallback = 'error.unauthorized';
  else if (status === 403) fallback = 'error.forbidden';
  else if (status === 404) fallback = 'error.not_found';
  else if (status === 429) fallback = 'error.rate_limited';
  else if (status >= 500) fallback = 'error.upstream';
  const message = err.code === 'not_configured' ? t(fallback) : err.message || t(fallback);
  let hint = null;
  if (status === 429 && typeof err.retryAfter === 'number' && err.retryAfter > 0) hint = t('error.retry_after', { count: err.retryAfter });
  else if (status === 401 || err.code === 'not_configured') hint = t('error.hint_settings');
  let title = 'error.title';
  if (status === 429) title = 'error.title_rate_limited';
  else if (status === 0 && err.code === 'network_error') title = 'error.title_network';
  else if (status === 401 || err.code === 'not_configured') title = 'error.title_setup';
  return { title: t(title), message, hint };
}

/** The 429 hint counts down each second (and disappears at zero); other hints are static. */
function countdownHint(ctx, error, text) {
  const el = h('p', { class: 'callout-hint', 'data-testid': 'error-hint' }, text);
  if (!error || error.status !== 429 || typeof error.retryAfter !== 'number') return el;
  let left = error.retryAfter;
  const timer = setInterval(() => {
    left -= 1;
    if (!el.isConnected || left <= 0) {
      clearInterval(timer);
      el.remove();
    } else {
      el.textContent = ctx.t('error.retry_after', { count: left });
    }
  }, 1000);
  return el;
}

/** Error callout with the backend's message and (unless retrying cannot help) a Retry button. */
export function errorState(ctx, error, onRetry) {
  const { title, message, hint } = describeError(ctx.t, error);
  const status = (error && error.status) || 0;
  const canRetry = onRetry && status !== 400 && status !== 422 && !(error && error.code === 'not_configured');
  return h(
    'div',
    {
      class: 'callout callout--red state-error',
      role: 'alert',
      'data-testid': 'error-state',
      'data-status': String(status),
      'data-code': (error && error.code) || 'error',
    },
    icon(ICONS.alert, { size: 16, className: 'icon callout-icon' }),
    h(
      'div',
      { class: 'callout-body' },
      h('p', { class: 'callout-title' }, title),
      h('p', { class: 'callout-text' }, message),
      hint ? countdownHint(ctx, error, hint) : null,
      canRetry
        ? h(
            'button',
            { type: 'button', class: 'btn btn--small', 'data-testid': 'retry-button', on: { click: () => onRetry() } },
            icon(ICONS.refresh, { size: 14 }),
            ctx.t('action.retry'),
          )
        : null,
    ),
  );
}

export function emptyState(title, hint, action = null, { glyph = ICONS.search } = {}) {
  return h(
    'div',
    { class: 'empty', 'data-testid': 'empty-state' },
    h('span', { class: 'empty-icon' }, icon(glyph, { size: 24 })),
    h('p', { class: 'empty-title' }, title),
    hint ? h('p', { class: 'empty-hint' }, hint) : null,
    action,
  );
}

export function loadMoreButton(ctx, onClick) {
  return h(
    'button',
    { type: 'button', class: 'btn btn--block', 'data-testid': 'load-more', on: { click: onClick } },
    ctx.t('action.load_more'),
  );
}

/** The top bar of a detail view: Back (Escape does the same). */
export function backBar(ctx) {
  return h(
    'div',
    { class: 'view-bar' },
    h(
      'button',
      { type: 'button', class: 'btn btn--basic btn--small', 'data-testid': 'back-button', on: { click: () => ctx.nav.back() } },
      icon(ICONS.chevronLeft, { size: 16 }),
      ctx.t('action.back'),
    ),
  );
}

/** Reason text as a callout coloured like the worst badge. */
export function reasonCallout(ctx, access) {
  if (!access || !access.reason) return null;
  const tone = worstTone(badgesFor(ctx, access));
  const glyph = tone === 'red' || tone === 'yellow' ? ICONS.alert : tone === 'green' ? ICONS.check : ICONS.info;
  return h(
    'div',
    { class: `callout callout--${tone} callout--compact`, 'data-testid': 'access-reason' },
    icon(glyph, { size: 16, className: 'icon callout-icon' }),
    h('p', { class: 'callout-text' }, access.reason),
  );
}

/** "Insert link" button + its status line; appends `<a href>` to the comment being written. */
export function insertLinkAction(ctx, getHtml) {
  const status = h('p', { class: 'action-status', role: 'status', 'aria-live': 'polite' });
  const button = h(
    'button',
    { type: 'button', class: 'btn btn--primary btn--small', 'data-testid': 'insert-link' },
    icon(ICONS.link, { size: 14 }),
    ctx.t('action.insert_link'),
  );
  const html = getHtml();
  if (!html) {
    button.disabled = true;
    status.textContent = ctx.t('insert.no_link');
  }
  button.addEventListener('click', async () => {
    const markup = getHtml();
    if (!markup) return;
    button.disabled = true;
    status.className = 'action-status';
    try {
      await ctx.client.invoke('ticket.comment.appendHtml', markup);
      status.textContent = ctx.t('insert.done');
      status.classList.add('action-status--ok');
    } catch {
      status.textContent = ctx.t('insert.failed');
      status.classList.add('action-status--error');
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'actions' }, button, status);
}

export function sectionHeading(text, count, extra = null) {
  return h(
    'div',
    { class: 'section-heading' },
    h('h3', { class: 'section-title' }, text, typeof count === 'number' ? h('span', { class: 'count' }, String(count)) : null),
    extra,
  );
}

/** A Garden tag for a `{id, text, tone}` badge (share/delivery status; no `badge` test hook). */
export function tag(badge, props = {}) {
  return h('span', { class: `badge badge--${badge.tone}`, 'data-badge': badge.id, ...props }, badge.text);
}

/**
 * Copy text to the clipboard: the async Clipboard API when the host allows it, else the legacy
 * copy command on a temporary off-screen textarea. Resolves true when copied.
 */
export async function copyText(text) {
  try {
    if (globalThis.navigator && navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // the iframe may lack clipboard-write permission: try the legacy path
  }
  const area = h('textarea', { readonly: true, class: 'copy-buffer', 'aria-hidden': 'true', tabindex: '-1' });
  area.value = String(text);
  document.body.appendChild(area);
  const previous = document.activeElement;
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  if (previous && previous.focus) previous.focus();
  return ok;
}

/** A share link (`share-link`, opens in a new tab) with a Copy button (`copy-link`). */
export function linkField(ctx, url, { testId = 'share-link', copy = true } = {}) {
  const { t } = ctx;
  const href = safeUrl(url);
  const link = href
    ? h('a', { class: 'link-url', href, target: '_blank', rel: 'noopener noreferrer', 'data-testid': testId, 'data-url': url, title: url }, url)
    : h('span', { class: 'link-url', 'data-testid': testId, 'data-url': url }, url);
  const label = h('span', null, t('action.copy'));
  const status = h('span', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  let timer = null;
  const button = h(
    'button',
    { type: 'button', class: 'btn btn--small link-copy', 'data-testid': 'copy-link', 'aria-label': t('share.copy_label') },
    icon(ICONS.copy, { size: 14 }),
    label,
  );
  button.addEventListener('click', async () => {
    const ok = await copyText(url);
    clearTimeout(timer);
    label.textContent = ok ? t('action.copied') : t('action.copy');
    status.textContent = ok ? t('share.copied') : t('share.copy_manually');
    button.classList.toggle('btn--done', ok);
    if (!ok) {
      const range = document.createRange();
      range.selectNodeContents(link);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    timer = setTimeout(() => {
      label.textContent = t('action.copy');
      button.classList.remove('btn--done');
    }, 2000);
  });
  return h('div', { class: 'link-field' }, h('span', { class: 'link-box' }, icon(ICONS.link, { size: 12, className: 'icon link-icon' }), link), copy ? button : null, copy ? status : null);
}
