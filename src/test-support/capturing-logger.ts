/** A real pino logger whose lines a test can read back, parsed. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface CapturingLogger {
  logger: Logger;
  /** Every line logged so far, as JSON objects (`level`: 30 info, 40 warn, 50 error). */
  lines: Array<Record<string, unknown>>;
}

export function capturingLogger(level = 'info'): CapturingLogger {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
