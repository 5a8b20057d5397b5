/**
 * Checks the Responses and Messages routes make before a model runs, on top of
 * `assertParamsSupported`: images only go to models that can see them.
 */
import { InvalidRequestError } from '../core/errors.js';
import type { ChatMessage, LanguageModelProvider } from '../providers/types.js';

function hasImage(message: ChatMessage): boolean {
  return Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url' || part.type === 'image');
}

/** 400 `unsupported_content` when a message carries an image the model cannot see (the simulator). */
export function assertSeesImages(provider: LanguageModelProvider, model: string, messages: readonly ChatMessage[], param: string): void {
  if (provider.seesImages || !messages.some(hasImage)) return;
  throw new InvalidRequestError(`Model '${model}' cannot see images; send text only, or use a model of an OpenAI-compatible or Anthropic provider that takes images.`, {
    param,
    code: 'unsupported_content',
  });
}
