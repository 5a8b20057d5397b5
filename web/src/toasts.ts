/** Short notices at the bottom of the page (a live region), optionally with one action. */
import { h } from './dom.js';

export function toast(region: HTMLElement, text: string, opts: { action?: { label: string; run: () => void }; ms?: number } = {}): () => void {
  const el = h('div', { class: 'toast' }, h('span', { class: 'toast-text' }, text));
  let timer = 0;
  const close = (): void => {
    clearTimeout(timer);
    el.remove();
  };
  if (opts.action) {
    const btn = h('button', { type: 'button', class: 'toast-action' }, opts.action.label);
    const { run } = opts.action;
    btn.addEventListener('click', () => {
      close();
      run();
    });
    el.append(btn);
  }
  region.append(el);
  timer = window.setTimeout(close, opts.ms ?? 4000);
  return close;
}
