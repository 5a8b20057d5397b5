/**
 * OpenAI-style messages as the Anthropic Messages API wants them: system and developer
 * messages become the top-level `system` prompt; the rest alternate `user` / `assistant`
 * (tool and function results count as user turns; turns of the same role in a row are
 * merged, empty ones dropped, since Anthropic rejects both); content parts become text and
 * image blocks.
 */
import { messageText, type ChatMessage, type ContentPart } from '../types.js';

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } };

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
  for (const message of input) {
    if (message.role === 'system' || message.role === 'developer') {
      const text = messageText(message);
      if (text.length > 0) system.push(text);
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content = toBlocks(message.content);
    if (content.length === 0) continue;
    const last = messages.at(-1);
    if (last && last.role === role) last.content.push(...content);
    else messages.push({ role, content });
  }
  return system.length > 0 ? { system: system.join('\n\n'), messages } : { messages };
}

function toBlocks(content: ChatMessage['content']): AnthropicContentBlock[] {
  if (content === null) return [];
  if (typeof content === 'string') return content.length > 0 ? [{ type: 'text', text: content }] : [];
  const blocks: AnthropicContentBlock[] = [];
  for (const part of content) {
    const block = toBlock(part);
    if (block) blocks.push(block);
  }
  return blocks;
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function toBlock(part: ContentPart): AnthropicContentBlock | undefined {
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
