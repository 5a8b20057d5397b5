/**
 * Syntax highlighting with highlight.js (its common languages), fetched only when the
 * first code block with a known language appears: a page without code never loads it.
 * highlight.js escapes the code and adds only `<span class="hljs-…">`, so the result
 * stays inert; colours are the page's own (styles.css), AA in both themes.
 */
import type { HLJSApi } from 'highlight.js';

let loading: Promise<HLJSApi> | null = null;

export function highlightCode(root: HTMLElement): void {
  const blocks = [...root.querySelectorAll<HTMLElement>('pre code[class*="language-"]:not([data-hl])')];
  if (blocks.length === 0) return;
  loading ??= import('highlight.js/lib/common').then((m) => m.default);
  void loading.then((hljs) => {
    for (const code of blocks) {
      if (!code.isConnected || code.dataset.hl) continue;
      code.dataset.hl = '1';
      const lang = /language-([\w+#.-]+)/.exec(code.className)?.[1] ?? '';
      if (!hljs.getLanguage(lang)) continue;
      code.innerHTML = hljs.highlight(code.textContent ?? '', { language: lang, ignoreIllegals: true }).value;
      code.classList.add('hljs');
    }
  });
}
