// The home view: search box, kind filter, "Approved only", troubleshooter, results with paging.

import { h, icon, debounce, mount } from '../dom.js';
import { applyApprovedFilter } from '../filters.js';
import { ICONS } from '../icons.js';
import {
  cardGroup,
  emptyState,
  errorState,
  loadingBlock,
  loadMoreButton,
  sectionHeading,
  skeletonTiles,
} from './common.js';
import { createTroubleshooter } from './troubleshoot.js';

export const KINDS = ['all', 'gallery', 'collection', 'media'];
const SECTION_ORDER = ['collection', 'gallery', 'media'];
const PER_PAGE = { all: 6, gallery: 20, collection: 20, media: 20 };
const DEBOUNCE_MS = 250;

let nextId = 0;

export function createSearchView(ctx) {
  const { t } = ctx;
  const uid = `search-${++nextId}`;
  const state = {
    q: '',
    kind: 'all',
    approvedOnly: ctx.settings.approvedOnly,
    page: 1,
    loading: false,
    items: [],
    paging: null,
    totals: null,
    requestId: 0,
  };

  const input = h('input', {
    id: `${uid}-q`,
    type: 'search',
    class: 'input input--search',
    'data-testid': 'search-input',
    placeholder: t('search.placeholder'),
    'aria-label': t('search.label'),
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const kindSelect = h(
    'select',
    { class: 'select', 'data-testid': 'kind-filter', 'aria-label': t('filter.label') },
    KINDS.map((kind) => h('option', { value: kind }, t(`filter.${kind}`))),
  );
  const approved = h('input', {
    type: 'checkbox',
    role: 'switch',
    class: 'toggle-input',
    id: `${uid}-approved`,
    'data-testid': 'approved-toggle',
    checked: state.approvedOnly,
    'aria-describedby': `${uid}-approved-hint`,
  });
  const summary = h('p', { class: 'summary', 'data-testid': 'result-count', 'aria-live': 'polite', role: 'status' });
  const results = h('div', { class: 'results', id: `${uid}-results` });
  const troubleshooter = createTroubleshooter(ctx);
  const more = h('div', { class: 'more' });

  const el = h(
    'div',
    { class: 'view view--search', 'data-view': 'search' },
    h(
      'div',
      { class: 'toolbar' },
      h('div', { class: 'search-field' }, icon(ICONS.search, { size: 16, className: 'icon search-icon' }), input),
      h(
        'div',
        { class: 'filters' },
        h('div', { class: 'select-wrap' }, kindSelect),
        h(
          'label',
          { class: 'toggle', for: `${uid}-approved`, title: t('filter.approved_hint') },
          approved,
          h('span', { class: 'toggle-track', 'aria-hidden': 'true' }),
          h('span', { class: 'toggle-label' }, t('filter.approved_only')),
        ),
      ),
      h('p', { class: 'sr-only', id: `${uid}-approved-hint` }, t('filter.approved_hint')),
    ),
    troubleshooter.el,
    summary,
    results,
    more,
  );

  function open(item, opener) {
    ctx.nav.open(item, opener);
  }

  function totalCount() {
    if (state.kind === 'all' && state.totals) {
      return Object.values(state.totals).reduce((sum, n) => sum + (Number(n) || 0), 0);
    }
    return state.paging ? state.paging.total : state.items.length;
  }

  function renderSummary(hidden) {
    const count = totalCount();
    let text = state.q
      ? t('results.count_for', { count, query: state.q })
      : t('results.count_browse', { count });
    if (hidden > 0) text = `${text} ${t('results.hidden', { count: hidden })}`;
    summary.textContent = text;
  }

  function showAllOf(kind) {
    kindSelect.value = kind;
    state.kind = kind;
    run();
  }

  function renderResults() {
    const { visible, hidden } = applyApprovedFilter(state.items, state.approvedOnly);
    renderSummary(hidden);
    if (state.items.length === 0) {
      mount(
        results,
        emptyState(
          state.q ? t('empty.no_matches', { query: state.q }) : t('empty.nothing_here'),
          state.kind === 'all' ? t('empty.hint') : t('empty.hint_kind'),
        ),
      );
    } else if (visible.length === 0) {
      mount(
        results,
        emptyState(
          t('empty.all_hidden', { count: hidden }),
          t('empty.all_hidden_hint'),
          h(
            'button',
            { type: 'button', class: 'btn btn--small', on: { click: () => setApproved(false) } },
            t('action.show_hidden'),
          ),
        ),
      );
    } else if (state.kind === 'all') {
      const sections = SECTION_ORDER.map((kind) => {
        const items = visible.filter((item) => item.kind === kind);
        if (!items.length) return null;
        const total = state.totals && typeof state.totals[kind] === 'number' ? state.totals[kind] : null;
        const loaded = state.items.filter((item) => item.kind === kind).length;
        const showAll =
          kind !== 'media' && total !== null && total > loaded
            ? h(
                'button',
                { type: 'button', class: 'btn btn--link', 'data-testid': 'show-all', on: { click: () => showAllOf(kind) } },
                t('action.show_all', { count: total }),
              )
            : null;
        return h(
          'section',
          { class: 'result-section', 'data-section': kind },
          sectionHeading(t(`section.${kind}`), total ?? items.length, showAll),
          cardGroup(ctx, items, { onOpen: open, kind }),
        );
      });
      mount(results, sections);
    } else {
      mount(results, cardGroup(ctx, visible, { onOpen: open, kind: state.kind }));
    }
    renderMore();
  }

  function renderMore() {
    if (state.paging && state.paging.has_next) {
      mount(more, loadMoreButton(ctx, loadMore));
    } else {
      mount(more);
    }
  }

  async function fetchPage(page) {
    return ctx.api.search({ q: state.q, kind: state.kind, page, perPage: PER_PAGE[state.kind] || 20 });
  }

  async function run() {
    const id = ++state.requestId;
    state.page = 1;
    state.loading = true;
    results.setAttribute('aria-busy', 'true');
    summary.textContent = t('state.searching');
    mount(results, loadingBlock(ctx, { rows: state.kind === 'media' ? 0 : 3, tiles: state.kind === 'gallery' || state.kind === 'collection' ? 0 : 4 }));
    mount(more);
    try {
      const data = await fetchPage(1);
      if (id !== state.requestId) return;
      state.loading = false;
      state.items = Array.isArray(data.items) ? data.items : [];
      state.paging = data.paging || null;
      state.totals = data.totals || null;
      renderResults();
    } catch (error) {
      if (id !== state.requestId) return;
      state.items = [];
      state.paging = null;
      summary.textContent = '';
      mount(results, errorState(ctx, error, run));
      mount(more);
    } finally {
      if (id === state.requestId) {
        state.loading = false;
        results.removeAttribute('aria-busy');
      }
    }
  }

  async function loadMore() {
    const id = state.requestId;
    const page = state.page + 1;
    const hadFocus = more.contains(document.activeElement);
    mount(more, skeletonTiles(2), h('button', { type: 'button', class: 'btn btn--block', disabled: true, 'data-testid': 'load-more' }, t('state.loading')));
    try {
      const data = await fetchPage(page);
      if (id !== state.requestId) return;
      const before = new Set(state.items.map((item) => `${item.kind}:${item.id}`));
      const fresh = (data.items || []).filter((item) => !before.has(`${item.kind}:${item.id}`));
      state.items = state.items.concat(fresh);
      state.paging = data.paging || state.paging;
      state.page = page;
      renderResults();
      if (hadFocus) {
        const first = fresh.length && results.querySelector(`[data-id="${CSS.escape(fresh[0].id)}"]`);
        (first || more.querySelector('button') || input).focus();
      }
    } catch (error) {
      if (id !== state.requestId) return;
      mount(more, errorState(ctx, error, loadMore));
    }
  }

  function setApproved(value) {
    state.approvedOnly = value;
    approved.checked = value;
    // While a search is loading its skeleton stays; the new results render with the new value.
    if (!state.loading && (state.paging || state.items.length)) renderResults();
  }

  const debouncedRun = debounce(() => run(), DEBOUNCE_MS);
  input.addEventListener('input', () => {
    const q = input.value.trim();
    if (q === state.q) return;
    state.q = q;
    debouncedRun();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      debouncedRun.cancel();
      state.q = input.value.trim();
      run();
    }
  });
  kindSelect.addEventListener('change', () => {
    state.kind = KINDS.includes(kindSelect.value) ? kindSelect.value : 'all';
    debouncedRun.cancel();
    run();
  });
  approved.addEventListener('change', () => setApproved(approved.checked));

  return {
    el,
    start: run,
    focus: () => input.focus(),
    troubleshoot: (value) => troubleshooter.inspect(value),
  };
}
