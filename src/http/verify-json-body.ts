/**
 * body-parser's `verify` hook for every JSON endpoint, run on the raw bytes before they
 * are decoded and parsed: bytes that are not UTF-8 would be decoded to U+FFFD, silently
 * changing the user's text, and deep nesting would cost a deep walk everywhere after.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidRequestError } from '../core/errors.js';
import { jsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

/** 400 `invalid_utf8` for a UTF-8 body that is not UTF-8; 400 `json_too_deep` above `maxDepth`. */
export function verifyJsonBody(maxDepth = MAX_JSON_DEPTH) {
  return (_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string): void => {
    if (/^utf-?8$/i.test(encoding) && !isUtf8(body)) {
      throw new InvalidRequestError('The request body is not valid UTF-8: send the text encoded as UTF-8.', { code: 'invalid_utf8' });
    }
    if (jsonDepth(body, maxDepth) > maxDepth) {
      throw new InvalidRequestError(`The request body is nested too deeply: at most ${maxDepth} levels of objects and arrays are accepted.`, {
        code: 'json_too_deep',
      });
    }
  };
}
