/** Code blocks in answers get a header with their language and a copy button. */
import { h } from './dom.js';
import type { Strings } from './i18n.js';

/** Wraps each bare `<pre>` under `root` (the rendered Markdown) in a titled block. */
export function decorateCodeBlocks(root: HTMLElement, t: Strings): void {
  for (const pre of root.querySelectorAll('pre')) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const lang = /language-([\w+#.-]+)/.exec(pre.querySelector('code')?.className ?? '')?.[1] ?? '';
    const copy = h('button', { type: 'button', class: 'copy-btn', 'aria-label': `${t.copy} ${lang}`.trim() }, t.copy);
    const block = h('div', { class: 'code-block' }, h('div', { class: 'code-head' }, h('span', { class: 'code-lang' }, lang), copy));
    pre.replaceWith(block);
    block.append(pre);
  }
}

/** One click handler for every copy button inside `root`, present and future. */
export function installCopyHandler(root: HTMLElement, t: Strings): void {
  root.addEventListener('click', (ev) => {
    const btn = (ev.target as Element | null)?.closest?.('.copy-btn');
    if (!(btn instanceof HTMLButtonElement)) return;
    const code = btn.closest('.code-block')?.querySelector('pre')?.textContent ?? '';
    void copyText(code).then((ok) => {
      if (!ok) return;
      btn.textContent = t.copied;
      setTimeout(() => (btn.textContent = t.copy), 1500);
    });
  });
}

/** Copies to the clipboard; the old way when the Clipboard API is not allowed. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Not a secure context, or no permission: the old way still works from a click.
    const area = h('textarea', { class: 'sr-only', readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
