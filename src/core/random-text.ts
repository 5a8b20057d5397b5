/**
 * Random ids from the CSPRNG, drawn in blocks as `crypto.randomUUID` does rather than one
 * `randomBytes` call per id: ids are made on every request (stream ids, session and request
 * ids), and a call into the CSPRNG costs more than copying bytes out of a block.
 */
import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;

/** `bytes` fresh random bytes written as `encoding` (each byte is used once). */
export function randomText(bytes: number, encoding: 'base64url' | 'hex'): string {
  if (bytes > POOL.length) throw new RangeError(`randomText: at most ${POOL.length} bytes`);
  if (poolAt + bytes > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const text = POOL.toString(encoding, poolAt, poolAt + bytes);
  poolAt += bytes;
  return text;
}
