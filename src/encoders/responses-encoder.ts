/**
 * OpenAI's Responses API from the normalized stream: the event sequence OpenAI sends
 * (`response.created`, `response.in_progress`, per output item `output_item.added`, its
 * parts and deltas, their `.done` events, `output_item.done`, then `response.completed`,
 * `response.incomplete` or `response.failed`), each with its `sequence_number`, and the
 * response object those events build, which is also the non-streaming answer and what is
 * stored. Thinking becomes a `reasoning` item (its text as the summary), tool calls
 * `function_call` items, calls of `custom` tools `custom_tool_call` items with their one
 * string input. Pure: no I/O.
 */
import { randomBytes } from 'node:crypto';
import type { FinishReason, ToolCallDeltaEvent, Usage } from '../core/events.js';
import type { GatewayError } from '../core/errors.js';
import { OutputBlocksEncoder } from './output-blocks-encoder.js';
import { sealReasoning } from './reasoning-seal.js';
import type { DialectNotices } from './types.js';

/** What the response object echoes of its request (OpenAI's field names and values). */
export interface ResponseSettings {
  background: boolean;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  store: boolean;
  temperature: number | null;
  text: Record<string, unknown>;
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  user: string | null;
  metadata: Record<string, string>;
}

export interface ResponsesEncoderOptions {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  settings: ResponseSettings;
  /**
   * The request's tools by the name the model was offered: `custom` ones are answered as
   * `custom_tool_call` items, tools of a `namespace` under their own name with the namespace.
   */
  tools: ReadonlyMap<string, OfferedTool>;
  /** `include: ["reasoning.encrypted_content"]`: reasoning items carry the gateway's opaque `encrypted_content`. */
  encryptedReasoning: boolean;
}

/** A tool as the client named it, under the flat name the model calls it by. */
export interface OfferedTool {
  name: string;
  namespace?: string;
  custom: boolean;
}

export type ResponseStatus = 'queued' | 'in_progress' | 'completed' | 'incomplete' | 'failed' | 'cancelled';

export type OutputItem = Record<string, unknown> & { id: string; type: string };

export interface ResponseObject extends ResponseSettings {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  output: OutputItem[];
  usage: ReturnType<typeof usageToResponses> | null;
}

type Open =
  | { kind: 'reasoning'; index: number; text: string }
  | { kind: 'message'; index: number; text: string }
  | { kind: 'tool'; index: number; toolIndex: number; custom: boolean; args: string };

const INCOMPLETE: Partial<Record<FinishReason, string>> = { length: 'max_output_tokens', 'content-filter': 'content_filter' };

export function usageToResponses(usage: Usage) {
  return {
    input_tokens: usage.promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.completionTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
}

export function newItemId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

export class ResponsesEncoder extends OutputBlocksEncoder {
  private seq = 0;
  private open: Open | undefined;
  private status: ResponseStatus = 'in_progress';
  private error_: ResponseObject['error'] = null;
  private incomplete: ResponseObject['incomplete_details'] = null;
  private readonly output: OutputItem[] = [];

  constructor(private readonly options: ResponsesEncoderOptions) {
    super();
  }

  /** The response as the events so far built it. */
  response(): ResponseObject {
    const { settings } = this.options;
    return {
      id: this.options.id,
      object: 'response',
      created_at: this.options.createdAt,
      status: this.status,
      background: settings.background,
      error: this.error_,
      incomplete_details: this.incomplete,
      instructions: settings.instructions,
      max_output_tokens: settings.max_output_tokens,
      model: settings.model,
      output: this.output.map((item) => structuredClone(item)),
      parallel_tool_calls: settings.parallel_tool_calls,
      previous_response_id: settings.previous_response_id,
      reasoning: settings.reasoning,
      store: settings.store,
      temperature: settings.temperature,
      text: settings.text,
      tool_choice: settings.tool_choice,
      tools: settings.tools,
      top_p: settings.top_p,
      user: settings.user,
      metadata: settings.metadata,
      usage: this.usage ? usageToResponses(this.usage) : null,
    };
  }

  protected finished(): void {
    const response = this.settle();
    this.send(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
  }

  /** The response of a stream that ended well: `completed`, or `incomplete` at the token limit or a content filter. */
  settle(): ResponseObject {
    const reason = INCOMPLETE[this.finish];
    this.status = reason ? 'incomplete' : 'completed';
    this.incomplete = reason ? { reason } : null;
    return this.response();
  }

  protected failed(error: GatewayError): void {
    this.status = 'failed';
    this.error_ = { code: error.code, message: error.message };
    this.send('response.failed', { response: this.response() });
  }

  /** A stopped run: what it had made, as `cancelled` (what the cancel endpoint answers). */
  cancelled(): ResponseObject {
    this.status = 'cancelled';
    return this.response();
  }

  protected start(): void {
    this.send('response.created', { response: this.response() });
    this.send('response.in_progress', { response: this.response() });
  }

  private send(type: string, fields: Record<string, unknown>): void {
    const data = JSON.stringify({ type, ...fields, sequence_number: this.seq++ });
    this.out.push({ event: type, data });
  }

  private addItem(item: OutputItem): number {
    const index = this.output.length;
    this.output.push(item);
    this.send('response.output_item.added', { output_index: index, item: structuredClone(item) });
    return index;
  }

  protected reasoning(text: string): void {
    if (this.open?.kind !== 'reasoning') {
      this.close();
      const index = this.addItem({ id: newItemId('rs'), type: 'reasoning', summary: [] });
      this.open = { kind: 'reasoning', index, text: '' };
      this.send('response.reasoning_summary_part.added', { ...this.at(index), summary_index: 0, part: { type: 'summary_text', text: '' } });
    }
    this.open.text += text;
    this.send('response.reasoning_summary_text.delta', { ...this.at(this.open.index), summary_index: 0, delta: text });
  }

  protected text(text: string): void {
    if (this.open?.kind !== 'message') {
      this.close();
      const index = this.addItem({ id: newItemId('msg'), type: 'message', status: 'in_progress', content: [], role: 'assistant' });
      this.open = { kind: 'message', index, text: '' };
      this.send('response.content_part.added', { ...this.at(index), content_index: 0, part: outputText('') });
    }
    this.open.text += text;
    this.send('response.output_text.delta', { ...this.at(this.open.index), content_index: 0, delta: text, logprobs: [] });
  }

  protected toolCall(event: ToolCallDeltaEvent): void {
    if (this.open?.kind !== 'tool' || this.open.toolIndex !== event.index) {
      this.close();
      const offered = this.options.tools.get(event.name ?? '');
      const name = offered?.name ?? event.name ?? '';
      const callId = event.id ?? newItemId('call');
      const custom = offered?.custom === true;
      const namespace = offered?.namespace !== undefined ? { namespace: offered.namespace } : {};
      const item: OutputItem = custom
        ? { id: newItemId('ctc'), type: 'custom_tool_call', status: 'in_progress', call_id: callId, input: '', name, ...namespace }
        : { id: newItemId('fc'), type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name, ...namespace };
      const index = this.addItem(item);
      this.open = { kind: 'tool', index, toolIndex: event.index, custom, args: '' };
    }
    if (event.argumentsDelta === '') return;
    this.open.args += event.argumentsDelta;
    // A custom tool's input is the one string inside the arguments: it is sent whole when the call ends.
    if (!this.open.custom) this.send('response.function_call_arguments.delta', { ...this.at(this.open.index), delta: event.argumentsDelta });
  }

  /** Ends the item being written, with its `.done` events. */
  protected close(): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    const item = this.output[open.index] as OutputItem;
    const at = this.at(open.index);
    switch (open.kind) {
      case 'reasoning': {
        const part = { type: 'summary_text', text: open.text };
        this.send('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: open.text });
        this.send('response.reasoning_summary_part.done', { ...at, summary_index: 0, part });
        item.summary = [part];
        if (this.options.encryptedReasoning) item.encrypted_content = sealReasoning(open.text);
        break;
      }
      case 'message': {
        const part = outputText(open.text);
        this.send('response.output_text.done', { ...at, content_index: 0, text: open.text, logprobs: [] });
        this.send('response.content_part.done', { ...at, content_index: 0, part });
        item.content = [part];
        item.status = 'completed';
        break;
      }
      case 'tool':
        if (open.custom) {
          const input = customInput(open.args);
          if (input !== '') this.send('response.custom_tool_call_input.delta', { ...at, delta: input });
          this.send('response.custom_tool_call_input.done', { ...at, input });
          item.input = input;
        } else {
          this.send('response.function_call_arguments.done', { ...at, name: item.name, arguments: open.args });
          item.arguments = open.args;
        }
        item.status = 'completed';
        break;
    }
    this.send('response.output_item.done', { output_index: open.index, item: structuredClone(item) });
  }

  private at(index: number) {
    return { item_id: (this.output[index] as OutputItem).id, output_index: index };
  }
}

function outputText(text: string) {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

/** The string a custom tool was called with: the `input` of the one-argument function it was offered as. */
export function customInput(args: string): string {
  try {
    const parsed = JSON.parse(args) as { input?: unknown };
    if (typeof parsed?.input === 'string') return parsed.input;
  } catch {
    // The model wrote no JSON: its text is the input.
  }
  return args;
}

/** `/v1/responses`: OpenAI's `error` event; a background response is followed again with `starting_after`. */
export const RESPONSES_NOTICES: DialectNotices = {
  resume: (streamId) => ({
    event: 'error',
    data: JSON.stringify({
      type: 'error',
      code: 'server_shutting_down',
      message: `This server is restarting. Follow the rest with GET /v1/responses/${encodeURIComponent(streamId)}?stream=true&starting_after=<the last sequence_number received>.`,
      param: null,
    }),
  }),
  error: (error) => ({ event: 'error', data: JSON.stringify({ type: 'error', code: error.code, message: error.message, param: error.param }) }),
};
