/**
 * Runs a recorded upstream stream (an `.sse` fixture) through the same pipeline as a live
 * upstream, minus the socket: bytes → SSE decoder → provider parser → the model's
 * `reasoning` mode. For fixture snapshots and split-point property tests.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { StreamEvent } from '../../core/events.js';
import { GatewayError } from '../../core/errors.js';
import { splitReasoning, type ReasoningMode } from '../../core/split-reasoning.js';
import { createSseDecoder, type EventSourceMessage } from '../http/sse-decoder.js';
import { upstreamEvents, type UpstreamStreamParser } from '../http/upstream-events.js';
import { createRedactor } from '../http/redact.js';

/** What both providers' `parse-stream.ts` export. */
export type StreamParser = UpstreamStreamParser;

/** An event as plain JSON (errors as their status, code and message). */
export type SnapshotEvent = Exclude<StreamEvent, { type: 'error' }> | { type: 'error'; status: number; code: string; message: string };

export async function replayChunks(chunks: readonly Uint8Array[], parser: StreamParser, mode: ReasoningMode): Promise<SnapshotEvent[]> {
  /** One batch of messages per chunk, as the socket would deliver them. */
  async function* reads(): AsyncGenerator<EventSourceMessage[]> {
    const decoder = createSseDecoder();
    for (const chunk of chunks) yield decoder.push(chunk);
    yield decoder.end();
  }
  const out: SnapshotEvent[] = [];
  try {
    const events = splitReasoning(upstreamEvents(async () => reads(), parser, { signal: new AbortController().signal, redact: createRedactor([]) }), mode);
    for await (const batch of events) for (const event of batch) out.push(toSnapshot(event));
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    out.push(toSnapshot({ type: 'error', error: err }));
  }
  return out;
}

function toSnapshot(event: StreamEvent): SnapshotEvent {
  if (event.type !== 'error') return event;
  return { type: 'error', status: event.error.status, code: event.error.code, message: event.error.message };
}

/** Adjacent deltas of the same type joined: how chunking may differ without changing the stream. */
export function mergeDeltas(events: readonly SnapshotEvent[]): SnapshotEvent[] {
  const out: SnapshotEvent[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (last && (event.type === 'text-delta' || event.type === 'reasoning-delta') && last.type === event.type) {
      out[out.length - 1] = { type: event.type, text: last.text + event.text };
    } else {
      out.push(event);
    }
  }
  return out;
}

/** Cuts `bytes` at the given offsets (any order, duplicates ignored). */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets.filter((o) => o > 0 && o < bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of cuts) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}

/** The fixture's bytes, cut where its events end (as a server writes them). */
export function readFixture(url: URL): Uint8Array {
  return new Uint8Array(readFileSync(url));
}

/**
 * Compares `events` with the JSON snapshot beside the fixture; `UPDATE_SNAPSHOTS=1`
 * (re)writes it instead. Returns the snapshot.
 */
export function snapshotOf(url: URL, events: readonly SnapshotEvent[]): SnapshotEvent[] {
  const file = new URL(url.href.replace(/\.sse$/, '.events.json'));
  if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(file, `${JSON.stringify(events, null, 2)}\n`);
  if (!existsSync(file)) throw new Error(`no snapshot ${file.pathname}: run the test with UPDATE_SNAPSHOTS=1 and review it`);
  return JSON.parse(readFileSync(file, 'utf8')) as SnapshotEvent[];
}
