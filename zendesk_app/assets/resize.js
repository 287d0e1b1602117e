// Keep the sidebar iframe as tall as its content: ResizeObserver on the app root ->
// client.invoke('resize', {width: '100%', height: '<n>px'}), debounced, only when the height changes.

export const MIN_HEIGHT = 120;

/** The resize payload for a content height (never below MIN_HEIGHT). */
export function resizePayload(height) {
  return { width: '100%', height: `${Math.max(MIN_HEIGHT, Math.ceil(height))}px` };
}

export function createResizer(client, target, { delay = 60 } = {}) {
  let last = null;
  let timer = null;

  function measure() {
    const box = target.getBoundingClientRect();
    const style = globalThis.getComputedStyle ? getComputedStyle(document.body) : null;
    const margins = style ? parseFloat(style.marginTop || 0) + parseFloat(style.marginBottom || 0) : 0;
    return box.height + margins;
  }

  function flush() {
    timer = null;
    const payload = resizePayload(measure());
    if (payload.height === last) return;
    last = payload.height;
    Promise.resolve(client.invoke('resize', payload)).catch(() => {});
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  let observer = null;
  if (typeof ResizeObserver === 'function') {
    observer = new ResizeObserver(schedule);
    observer.observe(target);
  }
  schedule();
  return {
    schedule,
    flush,
    disconnect() {
      clearTimeout(timer);
      if (observer) observer.disconnect();
    },
  };
}
