/**
 * An upstream body in its `Content-Encoding` undone: streamgate does not ask for
 * compression, but some servers and proxies compress an event stream anyway (gzip,
 * deflate, brotli). Decoding is streaming, so events still arrive one by one, and pulled
 * by the reader, so a small compressed body that inflates to gigabytes is read only as far
 * as the SSE decoder's line limit lets it. An encoding Node cannot undo is named.
 */
import type { Readable } from 'node:stream';
import { pipeline, Transform } from 'node:stream';
import zlib from 'node:zlib';

type Decoder = () => NodeJS.ReadWriteStream;

// A cut-off upstream ends the decoded stream where it stopped (the SSE parser then reports
// the incomplete stream), rather than a zlib "unexpected end of file".
const LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: () => zlib.createGunzip(LENIENT),
  'x-gzip': () => zlib.createGunzip(LENIENT),
  deflate: () => inflateEither(),
  br: () => zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }),
};

/** The encodings in the order they were applied (`identity` dropped), lower-case. */
export function contentEncodings(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
}

/** The first encoding in the list that cannot be decoded, if any. */
export function undecodable(encodings: readonly string[]): string | undefined {
  return encodings.find((e) => DECODERS[e] === undefined);
}

/** `body` decoded (the encodings undone last first); errors of any step end the result. */
export function decodeBody(body: Readable, encodings: readonly string[]): Readable {
  if (encodings.length === 0) return body;
  const steps = [...encodings].reverse().map((e) => (DECODERS[e] as Decoder)());
  return pipeline([body, ...steps], () => undefined) as unknown as Readable;
}

/**
 * HTTP's `deflate` is zlib-wrapped (RFC 9110), but some servers send raw deflate: the first
 * two bytes tell them apart (a zlib header is a multiple of 31 with method 8).
 */
function inflateEither(): NodeJS.ReadWriteStream {
  let inner: zlib.Inflate | zlib.InflateRaw | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!inner) {
        const zlibHeader = chunk.length >= 2 && (chunk[0]! & 0x0f) === 8 && ((chunk[0]! << 8) | chunk[1]!) % 31 === 0;
        inner = zlibHeader ? zlib.createInflate(LENIENT) : zlib.createInflateRaw(LENIENT);
        inner.on('data', (out: Buffer) => this.push(out));
        inner.on('error', (err) => this.destroy(err));
      }
      inner.write(chunk, () => done());
    },
    flush(done) {
      if (!inner) return done();
      inner.once('end', () => done());
      inner.end();
    },
    destroy(err, done) {
      inner?.destroy();
      done(err);
    },
  });
}
