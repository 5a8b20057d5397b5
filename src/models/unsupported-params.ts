/**
 * OpenAI parameters that change what the answer is, and that only an OpenAI-compatible
 * upstream honours (they reach it as they are). For any other model they would be dropped
 * and the client would get a plausible but wrong answer (prose for a JSON response format,
 * `logprobs: null`), so the request is refused naming the parameter, as OpenAI does for a
 * model that lacks a feature. Hints (`reasoning_effort`, `metadata`, `store`, …) are not here.
 */
import { InvalidRequestError } from '../core/errors.js';
import type { ChatRequest, LanguageModelProvider } from '../providers/types.js';

/** Each answer-shaping parameter, and when its value asks for something (not the default). */
const ANSWER_SHAPING: ReadonlyArray<readonly [string, (value: unknown) => boolean]> = [
  ['logprobs', (v) => v === true],
  ['top_logprobs', (v) => typeof v === 'number' && v > 0],
  ['response_format', (v) => typeof v === 'object' && v !== null && (v as { type?: unknown }).type !== 'text'],
  ['modalities', (v) => Array.isArray(v) && v.some((m) => m !== 'text')],
  ['audio', (v) => v != null],
  ['functions', (v) => Array.isArray(v) && v.length > 0],
  ['web_search_options', (v) => v != null],
];

type Asked = Pick<ChatRequest, 'extra' | 'toolChoice'>;

/** Throws a 400 `unsupported_parameter` for the first such parameter (or a demanded tool call) the model's provider would drop. */
export function assertParamsSupported(provider: LanguageModelProvider, model: string, request: Asked): void {
  const error = unsupportedParameter(provider, model, request);
  if (error) throw error;
}

/** Whether the provider honours everything the request asks for (a fallback that would not is skipped). */
export function honoursParams(provider: LanguageModelProvider, request: Asked): boolean {
  return unsupportedParameter(provider, '', request) === undefined;
}

function unsupportedParameter(provider: LanguageModelProvider, model: string, request: Asked): InvalidRequestError | undefined {
  // `auto` lets a model answer in prose; `required` or a named function demands a call it cannot make.
  if (!provider.callsTools && request.toolChoice !== undefined && request.toolChoice !== 'auto' && request.toolChoice !== 'none') {
    return new InvalidRequestError(`Unsupported parameter: 'tool_choice' cannot demand a tool call from model '${model}', which does not call tools; use "auto" or a model of an OpenAI-compatible or Anthropic provider.`, {
      param: 'tool_choice',
      code: 'unsupported_parameter',
    });
  }
  if (provider.forwardsExtra || !request.extra) return undefined;
  for (const [name, asks] of ANSWER_SHAPING) {
    if (asks(request.extra[name])) {
      return new InvalidRequestError(`Unsupported parameter: '${name}' is not supported by model '${model}'; only models of OpenAI-compatible providers take it.`, {
        param: name,
        code: 'unsupported_parameter',
      });
    }
  }
  return undefined;
}
