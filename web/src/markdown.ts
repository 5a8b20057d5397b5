/**
 * Markdown to safe HTML for model answers. Two layers, because the text comes from a
 * model that repeats whatever it is asked:
 * 1. marked renders raw HTML in the answer as visible text (never as markup) and links
 *    or images with a scheme other than http(s)/mailto as their literal source text;
 * 2. DOMPurify then removes anything executable that still got through.
 * Needs a DOM (DOMPurify), so it is tested in the browser (web/e2e/markdown.test.ts).
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { MATH_CLASSES, mathExtensions } from './math.js';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Relative links, fragments, http(s) and mailto; nothing that can run or embed code. */
export function isSafeUrl(href: string): boolean {
  const h = href.trim();
  // Browsers ignore tabs/newlines and control characters inside a scheme ("java\tscript:").
  const squashed = h.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squashed)?.[1];
  return scheme === undefined || ['http', 'https', 'mailto'].includes(scheme);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link(token: Tokens.Link): string | false {
      if (!isSafeUrl(token.href)) return escapeHtml(token.raw);
      return false; // the default renderer
    },
    image(token: Tokens.Image): string | false {
      if (!isSafeUrl(token.href)) return escapeHtml(token.raw);
      return false;
    },
  },
}, { extensions: mathExtensions });

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook('uponSanitizeAttribute', (node, data) => {
      // Classes could dress answer text up as page controls; keep only code languages and math placeholders.
      if (data.attrName === 'class') {
        data.keepAttr =
          (node.tagName === 'CODE' && /^language-[\w+#.-]+$/.test(data.attrValue)) ||
          ((node.tagName === 'SPAN' || node.tagName === 'DIV') && MATH_CLASSES.test(data.attrValue));
      }
    });
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
  }
  return DOMPurify;
}

/** Renders Markdown to sanitized HTML, safe to assign to `innerHTML`. */
export function renderMarkdown(src: string): string {
  const html = marked.parse(src, { async: false });
  return purifier().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style', 'id'],
  });
}
