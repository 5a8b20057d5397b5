/**
 * Math in answers: `$…$`, `\(…\)` inline and `$$…$$`, `\[…\]` displayed. The Markdown
 * renderer leaves them as `<span class="math-inline">` / `<div class="math-display">`
 * holding the TeX as text; KaTeX is fetched only when the first one appears and renders
 * them in place (through the DOM, with no inline HTML a strict CSP would block).
 */
import type { TokenizerAndRendererExtension } from 'marked';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const MATH_CLASSES = /^math-(inline|display)$/;

export const mathExtensions: TokenizerAndRendererExtension[] = [
  {
    name: 'mathBlock',
    level: 'block',
    start: (src) => src.match(/\$\$|\\\[/)?.index,
    tokenizer(src) {
      const m = /^(?:\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\])[ \t]*(?:\n|$)/.exec(src);
      return m ? { type: 'mathBlock', raw: m[0], text: (m[1] ?? m[2] ?? '').trim() } : undefined;
    },
    renderer: (token) => `<div class="math-display">${escapeHtml(String(token.text))}</div>\n`,
  },
  {
    name: 'mathInline',
    level: 'inline',
    start(src) {
      const i = src.search(/\$|\\\(/);
      return i < 0 ? undefined : i;
    },
    tokenizer(src) {
      // `$5 and $10` is money, not math: no space inside the dollars' edges, no digit after.
      const m = /^(?:\$\$([^$]+?)\$\$|\$(?![\s$])((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)|\\\((.+?)\\\))/.exec(src);
      if (!m) return undefined;
      return { type: 'mathInline', raw: m[0], text: m[1] ?? m[2] ?? m[3] ?? '', display: m[1] !== undefined };
    },
    renderer: (token) => `<span class="math-inline">${escapeHtml(String(token.text))}</span>`,
  },
];

type Katex = typeof import('katex').default;
let loading: Promise<Katex> | null = null;

export function renderMath(root: HTMLElement): void {
  const nodes = [...root.querySelectorAll<HTMLElement>('.math-inline:not([data-m]), .math-display:not([data-m])')];
  if (nodes.length === 0) return;
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([m]) => m.default);
  void loading.then((katex) => {
    for (const el of nodes) {
      if (!el.isConnected || el.dataset.m) continue;
      el.dataset.m = '1';
      katex.render(el.textContent ?? '', el, { displayMode: el.classList.contains('math-display'), throwOnError: false, output: 'htmlAndMathml' });
    }
  });
}
