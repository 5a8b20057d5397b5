/**
 * The `encrypted_content` streamgate gives reasoning items (`include:
 * ["reasoning.encrypted_content"]`, what Codex asks for with `store: false`): an opaque
 * token a client sends back in `input` with the item. It is not encryption, only an
 * envelope with a version: it carries the thinking text so a later turn could hand it to
 * a model that takes earlier thinking; today's models do not, so it is read and dropped.
 */
const PREFIX = 'sg1.';

export function sealReasoning(text: string): string {
  return PREFIX + Buffer.from(JSON.stringify({ text }), 'utf8').toString('base64url');
}

/** The thinking in a token this gateway made; undefined for anything else (another server's token). */
export function openReasoning(token: string): string | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8')) as { text?: unknown };
    return typeof value?.text === 'string' ? value.text : undefined;
  } catch {
    return undefined;
  }
}
