/**
 * Query strings are decoded by `querystring`, which turns percent-encoded bytes that are
 * not UTF-8 (`?question=%FF`) into U+FFFD without a word: the user's text would be changed
 * silently. This checks the raw bytes of every name and value first, as `verify-json-body.ts`
 * does for bodies.
 */
import { isUtf8 } from 'node:buffer';
import type { RequestHandler } from 'express';
import { InvalidRequestError } from '../core/errors.js';

/** The bytes a query component stands for: `%XX` escapes, `+` as a space, other characters as the latin1 bytes Node read them from. */
function componentBytes(component: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < component.length; i++) {
    const c = component.charCodeAt(i);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(component.slice(i + 1, i + 3))) {
      bytes.push(parseInt(component.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === 0x2b) bytes.push(0x20);
    else if (c <= 0xff) bytes.push(c);
    else bytes.push(...Buffer.from(component[i]!, 'utf8'));
  }
  return Buffer.from(bytes);
}

function decodeLoosely(component: string): string {
  return componentBytes(component).toString('utf8');
}

/** The (decoded) name of the first query parameter whose name or value is not UTF-8, or null. */
export function invalidUtf8QueryParam(url: string): string | null {
  const start = url.indexOf('?');
  if (start < 0) return null;
  const hash = url.indexOf('#', start);
  const query = url.slice(start + 1, hash < 0 ? undefined : hash);
  if (!/[%\u0080-\uffff]/.test(query)) return null;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (!isUtf8(componentBytes(name)) || !isUtf8(componentBytes(value))) return decodeLoosely(name);
  }
  return null;
}

/** 400 `invalid_utf8` naming the parameter. */
export const verifyQuery: RequestHandler = (req, _res, next) => {
  const param = invalidUtf8QueryParam(req.originalUrl);
  if (param === null) {
    next();
    return;
  }
  next(
    new InvalidRequestError(`The query parameter "${param}" is not valid UTF-8: percent-encode the text as UTF-8.`, {
      code: 'invalid_utf8',
      param,
    }),
  );
};
