// A tiny element helper. Text always goes in as text nodes, attributes through setAttribute:
// data can never become markup (no innerHTML anywhere). DOM is touched only when called.

const SVG_NS = 'http://www.w3.org/2000/svg';
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'indeterminate']);

function append(parent, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) {
    child.forEach((c) => append(parent, c));
  } else if (typeof child === 'string' || typeof child === 'number') {
    parent.appendChild(document.createTextNode(String(child)));
  } else {
    parent.appendChild(child);
  }
}

function applyProps(el, props) {
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (name === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (name === 'text') {
      el.textContent = String(value);
    } else if (name === 'ref') {
      value(el);
    } else if (PROPERTIES.has(name)) {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

/** h('button', {class: 'btn', on: {click}}, 'Label', child, [more]) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

/** An inline SVG icon from path data (decorative: hidden from assistive tech). */
export function icon(paths, { size = 16, className = 'icon', viewBox = '0 0 16 16' } = {}) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('viewBox', viewBox);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of [].concat(paths)) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(path);
  }
  return svg;
}

/** Replace all children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Screen-reader-only text. */
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}

export function debounce(fn, wait) {
  let timer = null;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

/**
 * May a view whose data just arrived move focus to its heading? Only while it is on screen and the
 * agent's focus has not gone elsewhere in the meantime: focus is on nothing (the body) or still
 * inside the view (on Back, where opening the view put it).
 */
export function mayTakeFocus(view, active, body) {
  if (!view || !view.isConnected) return false;
  return !active || active === body || view.contains(active);
}

/**
 * Focus handling of a detail view whose heading appears only once its data has arrived: `focus()`
 * puts focus on the heading when it exists, else on Back and remembers to move it; call `settle()`
 * after rendering the heading.
 */
export function headingFocus(view, getHeading) {
  let pending = false;
  return {
    focus() {
      const heading = getHeading();
      if (heading && heading.isConnected) {
        heading.focus();
        return;
      }
      pending = true;
      view.querySelector('[data-testid="back-button"]').focus();
    },
    settle() {
      if (!pending) return;
      pending = false;
      const heading = getHeading();
      if (heading && mayTakeFocus(view, document.activeElement, document.body)) heading.focus();
    },
  };
}
