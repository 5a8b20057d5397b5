/**
 * OpenAI-style messages as the Anthropic Messages API wants them: system and developer
 * messages become the top-level `system` prompt; the rest alternate `user` / `assistant`
 * (tool and function results count as user turns; turns of the same role in a row are
 * merged, empty ones dropped, since Anthropic rejects both); content parts become text and
 * image blocks. An assistant's `tool_calls` become `tool_use` blocks after its text, and
 * each `role: "tool"` message a `tool_result` block, so consecutive results share one
 * user turn as Anthropic requires.
 */
import { InvalidRequestError } from '../../core/errors.js';
import { messageText, type ChatMessage, type ContentPart } from '../types.js';

type TextOrImageBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } };

export type AnthropicContentBlock =
  | TextOrImageBlock
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content?: string | TextOrImageBlock[] };

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicContentBlock[];
}

export interface ConvertedMessages {
  system?: string;
  messages: AnthropicMessage[];
}

export function convertMessages(input: readonly ChatMessage[]): ConvertedMessages {
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  for (const [i, message] of input.entries()) {
    if (message.role === 'system' || message.role === 'developer') {
      const text = messageText(message);
      if (text.length > 0) system.push(text);
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    // A tool result that names no call (not possible through /v1/chat/completions) stays text.
    const content = message.role === 'tool' && message.tool_call_id ? [toolResult(message, message.tool_call_id)] : toBlocks(message.content);
    for (const [j, call] of (message.role === 'assistant' ? (message.tool_calls ?? []) : []).entries()) {
      content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseInput(call.function.arguments, `messages[${i}].tool_calls[${j}].function.arguments`) });
    }
    if (content.length === 0) continue;
    const last = messages.at(-1);
    if (last && last.role === role) last.content.push(...content);
    else messages.push({ role, content });
  }
  return system.length > 0 ? { system: system.join('\n\n'), messages } : { messages };
}

function toolResult(message: ChatMessage, toolUseId: string): AnthropicContentBlock {
  const block: AnthropicContentBlock = { type: 'tool_result', tool_use_id: toolUseId };
  if (typeof message.content === 'string') {
    if (message.content.length > 0) block.content = message.content;
  } else {
    const blocks = toBlocks(message.content);
    if (blocks.length > 0) block.content = blocks;
  }
  return block;
}

/** A call's arguments as the object Anthropic's `input` must be; `{}` for empty text. */
function parseInput(args: string, param: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(args);
  } catch {
    input = undefined;
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidRequestError(`${param} must be the JSON text of an object for this model, got ${JSON.stringify(args.slice(0, 40))}`, { param, code: 'invalid_value' });
  }
  return input as Record<string, unknown>;
}

function toBlocks(content: ChatMessage['content']): TextOrImageBlock[] {
  if (content === null) return [];
  if (typeof content === 'string') return content.length > 0 ? [{ type: 'text', text: content }] : [];
  const blocks: TextOrImageBlock[] = [];
  for (const part of content) {
    const block = toBlock(part);
    if (block) blocks.push(block);
  }
  return blocks;
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function toBlock(part: ContentPart): TextOrImageBlock | undefined {
  if (typeof part.text === 'string') return part.text.length > 0 ? { type: 'text', text: part.text } : undefined;
  if (part.type === 'image_url') {
    const imageUrl = part.image_url as { url?: unknown } | string | undefined;
    const url = typeof imageUrl === 'string' ? imageUrl : imageUrl?.url;
    if (typeof url !== 'string') return undefined;
    const data = DATA_URL.exec(url);
    if (data) return { type: 'image', source: { type: 'base64', media_type: data[1] as string, data: data[2] as string } };
    return { type: 'image', source: { type: 'url', url } };
  }
  return undefined;
}
