/**
 * Anthropic's Messages API from the normalized stream: `message_start`, per content block
 * `content_block_start` / `content_block_delta` / `content_block_stop` (thinking as a
 * `thinking` block with `thinking_delta`s, text as `text_delta`s, tool calls as `tool_use`
 * blocks with `input_json_delta`s), `message_delta` with `stop_reason` and usage, then
 * `message_stop`; a failure is an `event: error` in Anthropic's error shape. It also keeps
 * the message those events build: the non-streaming answer. Pure: no I/O.
 */
import { randomBytes } from 'node:crypto';
import type { FinishReason, ToolCallDeltaEvent } from '../core/events.js';
import type { GatewayError } from '../core/errors.js';
import { anthropicError } from './anthropic-errors.js';
import { OutputBlocksEncoder } from './output-blocks-encoder.js';
import type { DialectNotices } from './types.js';

export interface MessagesEncoderOptions {
  id: string;
  /** The model name the client asked for. */
  model: string;
  /** The request's `stop_sequences`: a stop at one of them is reported with it when it is the only one. */
  stopSequences: readonly string[];
}

export const ANTHROPIC_STOP_REASONS: Readonly<Record<FinishReason, string>> = {
  end: 'end_turn',
  'stop-sequence': 'stop_sequence',
  length: 'max_tokens',
  'content-filter': 'refusal',
  'tool-calls': 'tool_use',
};

type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

type Open = { kind: 'thinking' | 'text'; index: number } | { kind: 'tool'; index: number; toolIndex: number; json: string };

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: Block[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: { input_tokens: number; output_tokens: number };
}

export class MessagesEncoder extends OutputBlocksEncoder {
  private ended = false;
  private open: Open | undefined;
  private readonly content: Block[] = [];

  constructor(private readonly options: MessagesEncoderOptions) {
    super();
  }

  /** The message as the events so far built it. */
  message(): AnthropicMessage {
    const done = this.ended;
    const single = this.options.stopSequences.length === 1 ? (this.options.stopSequences[0] as string) : null;
    return {
      id: this.options.id,
      type: 'message',
      role: 'assistant',
      model: this.options.model,
      content: structuredClone(this.content),
      stop_reason: done ? (ANTHROPIC_STOP_REASONS[this.finish] as string) : null,
      stop_sequence: done && this.finish === 'stop-sequence' ? single : null,
      usage: { input_tokens: this.usage?.promptTokens ?? 0, output_tokens: this.usage?.completionTokens ?? 0 },
    };
  }

  protected finished(): void {
    this.ended = true;
    const message = this.message();
    this.send('message_delta', {
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
      usage: { input_tokens: message.usage.input_tokens, output_tokens: message.usage.output_tokens },
    });
    this.send('message_stop', {});
  }

  protected failed(error: GatewayError): void {
    this.out.push({ event: 'error', data: JSON.stringify(anthropicError(error).body) });
  }

  protected start(): void {
    const message = this.message();
    this.send('message_start', { message: { ...message, usage: { input_tokens: 0, output_tokens: 0 } } });
  }

  private send(type: string, fields: Record<string, unknown>): void {
    this.out.push({ event: type, data: JSON.stringify({ type, ...fields }) });
  }

  private openBlock(block: Block): number {
    const index = this.content.length;
    this.content.push(block);
    this.send('content_block_start', { index, content_block: structuredClone(block) });
    return index;
  }

  protected reasoning(text: string): void {
    if (this.open?.kind !== 'thinking') {
      this.close();
      this.open = { kind: 'thinking', index: this.openBlock({ type: 'thinking', thinking: '', signature: '' }) };
    }
    (this.content[this.open.index] as { thinking: string }).thinking += text;
    this.send('content_block_delta', { index: this.open.index, delta: { type: 'thinking_delta', thinking: text } });
  }

  protected text(text: string): void {
    if (this.open?.kind !== 'text') {
      this.close();
      this.open = { kind: 'text', index: this.openBlock({ type: 'text', text: '' }) };
    }
    (this.content[this.open.index] as { text: string }).text += text;
    this.send('content_block_delta', { index: this.open.index, delta: { type: 'text_delta', text } });
  }

  protected toolCall(event: ToolCallDeltaEvent): void {
    if (this.open?.kind !== 'tool' || this.open.toolIndex !== event.index) {
      this.close();
      const id = event.id ?? `toolu_${randomBytes(12).toString('base64url')}`;
      const index = this.openBlock({ type: 'tool_use', id, name: event.name ?? '', input: {} });
      this.open = { kind: 'tool', index, toolIndex: event.index, json: '' };
    }
    if (event.argumentsDelta === '') return;
    this.open.json += event.argumentsDelta;
    this.send('content_block_delta', { index: this.open.index, delta: { type: 'input_json_delta', partial_json: event.argumentsDelta } });
  }

  protected close(): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    if (open.kind === 'tool') (this.content[open.index] as { input: Record<string, unknown> }).input = parseInput(open.json);
    this.send('content_block_stop', { index: open.index });
  }
}

function parseInput(json: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  try {
    const value = JSON.parse(json) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through: a model that wrote broken JSON still gets its text back
  }
  return { _raw: json };
}

/** `/v1/messages`: Anthropic's `event: error`; its streams are not resumable, so a restart means sending again. */
export const MESSAGES_NOTICES: DialectNotices = {
  resume: () => ({ event: 'error', data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'This server is restarting; send the request again.' } }) }),
  error: (error) => ({ event: 'error', data: JSON.stringify(anthropicError(error).body) }),
};
