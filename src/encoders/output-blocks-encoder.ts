/**
 * What the Responses and Messages encoders share: both write an answer as a list of
 * blocks (output items, content blocks) opened and closed in order, thinking, text and
 * each tool call in their own. This base class routes the normalized events: leading
 * blank lines trimmed, an inline `<think>` left open closed before a tool call, usage and
 * the finish reason kept; a subclass writes its API's events for each.
 */
import type { FinishReason, StreamEvent, ToolCallDeltaEvent, Usage } from '../core/events.js';
import type { GatewayError } from '../core/errors.js';
import { ReasoningShaper, type ShapedField } from './reasoning-shaper.js';
import type { StreamEncoder, WireMessage } from './types.js';

export abstract class OutputBlocksEncoder implements StreamEncoder {
  /** Where the current call's messages go. */
  protected out: WireMessage[] = [];
  protected finish: FinishReason = 'end';
  protected usage: Usage | undefined;
  private started = false;
  private readonly shaper = new ReasoningShaper('separate');
  private readonly emit = (field: ShapedField, text: string) => (field === 'content' ? this.text(text) : this.reasoning(text));

  encode(event: StreamEvent, out: WireMessage[]): void {
    this.begin(out);
    if (this.shaper.delta(event, this.emit)) return;
    switch (event.type) {
      case 'tool-call-delta':
        this.shaper.finish(this.emit);
        this.toolCall(event);
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'finish':
        this.finish = event.reason;
        this.close();
        break;
      case 'error':
        this.error(event.error, out);
        break;
    }
  }

  end(out: WireMessage[]): void {
    this.begin(out);
    this.close();
    this.finished();
  }

  error(error: GatewayError, out: WireMessage[]): void {
    this.begin(out);
    this.failed(error);
  }

  /** Points the output at `out`, and writes the stream's opening events the first time. */
  protected begin(out: WireMessage[]): void {
    this.out = out;
    if (this.started) return;
    this.started = true;
    this.start();
  }

  /** The opening events (`response.created`, `message_start`). */
  protected abstract start(): void;
  protected abstract reasoning(text: string): void;
  protected abstract text(text: string): void;
  protected abstract toolCall(event: ToolCallDeltaEvent): void;
  /** Ends the block being written, if one is open. */
  protected abstract close(): void;
  /** The closing events of a successful stream. */
  protected abstract finished(): void;
  /** The closing events of a failed stream. */
  protected abstract failed(error: GatewayError): void;
}
