/**
 * A fenced Markdown code block. Every alternative that calls this opens and closes its own
 * fence, so no combination of alternatives can leave a fence open.
 */
export function fence(lang: string, code: string): string {
  return '```' + lang + '\n' + code.replace(/^\n+/, '').trimEnd() + '\n```';
}
