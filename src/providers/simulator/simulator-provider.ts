/**
 * The built-in simulated models. `sim-reasoner` thinks inside `<think>…</think>` and then
 * answers (like QwQ-32B or DeepSeek-R1); `sim-chat` answers directly. Text comes from the
 * scenario corpus, is cut into token-shaped pieces and streamed at a human pace.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBatch, EventStream } from '../../core/events.js';
import { GatewayError, RateLimitError } from '../../core/errors.js';
import { createRandom, hashString, type Random } from '../../core/random.js';
import { StopSequenceMatcher } from '../../core/stop-sequences.js';
import { countTokens, tokenize } from '../../core/tokenize.js';
import { THINK_CLOSE, THINK_OPEN } from '../../core/think-splitter.js';
import { messageText, type ChatRequest, type LanguageModelProvider, type StreamCallOptions } from '../types.js';
import { compose } from './compose.js';

export interface SimulatorOptions {
  /** Tokens per second; 0 streams as fast as possible. */
  tokensPerSecond: number;
  /** Delay before the first token, in ms. */
  firstTokenMs: number;
}

/** Upstream model names the simulator knows, and whether they think first. */
export const SIMULATED_MODELS: Readonly<Record<string, { thinks: boolean; description: string }>> = {
  'sim-reasoner': { thinks: true, description: 'Simulated thinking model: <think>…</think>, then the answer' },
  'sim-chat': { thinks: false, description: 'Simulated chat model: answers directly' },
};

/** Token pieces the stream will consist of, with where the answer starts. */
interface Script {
  pieces: string[];
  /** Index of the first answer piece (after `</think>`). */
  answerStart: number;
}

export class SimulatorProvider implements LanguageModelProvider {
  readonly id = 'sim';

  constructor(private readonly options: SimulatorOptions) {}

  /** Events made without waiting in between (at full speed, up to 64 tokens) form one batch. */
  async *stream(request: ChatRequest, { signal }: StreamCallOptions): EventStream {
    const sim = request.sim ?? {};
    const tokensPerSecond = sim.tokensPerSecond ?? this.options.tokensPerSecond;
    const firstTokenMs = sim.firstTokenMs ?? this.options.firstTokenMs;
    if (sim.fault === 'rate_limited') {
      throw new RateLimitError('Simulated rate limit: too many requests, retry after 1 s', {
        code: 'rate_limit_exceeded',
        retryAfter: 1,
      });
    }
    // A trailing assistant message is an answer to continue (prefill): the script is the
    // one the question alone gives, resumed where that text ends.
    const prefill = trailingAssistant(request);
    const asked = prefill === undefined ? request : { ...request, messages: request.messages.slice(0, -1) };
    const random = createRandom(requestSeed(asked));
    const script = writeScript(asked, random);
    const from = prefill === undefined ? 0 : resume(script, prefill);
    const promptTokens = estimatePromptTokens(request);

    if (firstTokenMs > 0) await sleep(firstTokenMs, undefined, { signal });
    if (sim.fault === 'error_before_first_token') {
      throw new GatewayError(500, 'server_error', 'Simulated upstream failure before the first token', {
        code: 'simulated_error',
      });
    }

    const faultAt = sim.fault === 'error_mid_stream' || sim.fault === 'stall'
      ? Math.max(from + 3, Math.floor(script.pieces.length * 0.3))
      : -1;
    const maxTokens = request.maxTokens ?? Infinity;
    const stops = new StopSequenceMatcher(request.stop ?? []);
    const delay = tokensPerSecond > 0 ? 1000 / tokensPerSecond : 0;
    let emitted = 0;
    let finish: 'end' | 'length' | 'stop-sequence' = 'end';
    let batch: EventBatch = [];

    for (let i = from; i < script.pieces.length; i++) {
      if (i === faultAt) {
        if (sim.fault === 'stall') {
          if (batch.length > 0) yield batch;
          batch = [];
          await sleep(2 ** 31 - 1, undefined, { signal });
        }
        batch.push({
          type: 'error',
          error: new GatewayError(500, 'server_error', 'Simulated upstream failure in the middle of the stream', {
            code: 'simulated_error',
          }),
        });
        yield batch;
        return;
      }
      if (emitted >= maxTokens) {
        finish = 'length';
        break;
      }
      if (i > from && waits(delay, i)) {
        if (batch.length > 0) yield batch;
        batch = [];
        await pace(delay, random, signal);
      }
      const piece = script.pieces[i] as string;
      emitted++;
      if (i < script.answerStart || !stops.active) {
        batch.push({ type: 'text-delta', text: piece });
        continue;
      }
      const cut = stops.push(piece);
      if (cut.text) batch.push({ type: 'text-delta', text: cut.text });
      if (cut.stopped) {
        finish = 'stop-sequence';
        break;
      }
    }
    if (finish === 'end') {
      const rest = stops.flush();
      if (rest) batch.push({ type: 'text-delta', text: rest });
    }
    batch.push({ type: 'usage', usage: { promptTokens, completionTokens: emitted, reasoningTokens: Math.max(0, reasoningTokens(script, from + emitted) - from) } });
    batch.push({ type: 'finish', reason: finish });
    yield batch;
  }
}

/** Whether token `i` waits: one token's time, or at full speed a turn of the event loop now and then. */
function waits(delayMs: number, i: number): boolean {
  return delayMs > 0 || i % 64 === 0;
}

/** Waits one token's time (with jitter), or at full speed one turn of the event loop. */
async function pace(delayMs: number, random: Random, signal: AbortSignal): Promise<void> {
  if (delayMs > 0) {
    await sleep(delayMs * (0.6 + random() * 0.8), undefined, { signal });
  } else {
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
  }
}

function requestSeed(request: ChatRequest): number {
  if (request.seed !== undefined) {
    return hashString(JSON.stringify(request.messages), request.seed >>> 0);
  }
  return (Math.random() * 2 ** 32) >>> 0;
}

function writeScript(request: ChatRequest, random: Random): Script {
  const userTurns = request.messages.filter((m) => m.role === 'user').map(messageText);
  const composition = compose({ userTurns, random });
  const thinks = SIMULATED_MODELS[request.model]?.thinks ?? true;
  if (!thinks) {
    return { pieces: tokenize(composition.answer.replace(/^\s+/, ''), random), answerStart: 0 };
  }
  const thinking = tokenize(composition.thinking, random);
  const answer = tokenize(composition.answer, random);
  // The closing tag is glued to the last piece of thinking, as real models emit it.
  const last = thinking.pop() ?? '';
  const pieces = [THINK_OPEN, ...thinking, last + THINK_CLOSE, ...answer];
  return { pieces, answerStart: thinking.length + 2 };
}

/** The content of a trailing assistant message, the answer so far to continue. */
function trailingAssistant(request: ChatRequest): string | undefined {
  const last = request.messages[request.messages.length - 1];
  return last?.role === 'assistant' && request.messages.length > 1 ? messageText(last) : undefined;
}

/**
 * Where the script goes on after `prefix`: the pieces it covers are skipped and the rest of
 * a piece it ends inside becomes the next piece. A prefix the script does not start with
 * (written without a `seed`, or by another model) is not this script's: it continues with
 * the script's answer (or its thinking, when the prefix is still inside `<think>`).
 */
function resume(script: Script, prefix: string): number {
  let at = 0;
  for (let i = 0; i < script.pieces.length; i++) {
    const piece = script.pieces[i] as string;
    if (at + piece.length <= prefix.length) {
      if (prefix.startsWith(piece, at)) {
        at += piece.length;
        if (at === prefix.length) return i + 1;
        continue;
      }
      break;
    }
    const covered = prefix.length - at;
    if (!piece.startsWith(prefix.slice(at))) break;
    script.pieces[i] = piece.slice(covered);
    return i;
  }
  if (script.answerStart === 0 || prefix.includes(THINK_CLOSE)) return script.answerStart;
  return prefix.includes(THINK_OPEN) ? 1 : script.answerStart;
}

function reasoningTokens(script: Script, emitted: number): number {
  return Math.min(emitted, script.answerStart);
}

/** Prompt tokens as the simulator's tokenizer counts them, plus a few per message for the template. */
export function estimatePromptTokens(request: ChatRequest): number {
  let n = 0;
  for (const m of request.messages) n += countTokens(messageText(m)) + 4;
  return n + 2;
}
