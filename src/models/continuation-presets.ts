/**
 * How each upstream continues an answer that was cut: the request that makes it go on
 * from the text so far, as data per `continuation` preset (vendors' documents):
 *
 * - `prefill`: the text so far is a trailing assistant message, which the upstream
 *   continues (llama.cpp's server, the simulator, Claude models that still allow prefill);
 * - `deepseek`: the same with `prefix: true` on it, DeepSeek's chat prefix completion,
 *   which needs the beta base URL `https://api.deepseek.com/beta`;
 * - `vllm`: `continue_final_message: true` and `add_generation_prompt: false` (vLLM's
 *   chat API; the chat template leaves the last message open);
 * - `dashscope`: `partial: true` on it, DashScope's partial mode, for non-thinking calls only.
 *
 * Thinking: a cut inside `<think>` tags in the text is continued inside them by the presets
 * that take the text as it is (`prefill`, `vllm`); thinking sent in a separate field cannot
 * be handed back in the upstream's own form, so a cut inside it is not continued, and a cut
 * in the answer after it continues the answer alone. Signed thinking (Claude) is never continued.
 */
import type { ContinuationPreset } from '../config/schema.js';
import type { ChatMessage, ChatRequest } from '../providers/types.js';

/** What the failed legs produced, as the upstream wrote it. */
export interface AnswerSoFar {
  /** Every text delta, `<think>` tags and text held back downstream included. */
  text: string;
  /** Thinking that came in a separate field. */
  fieldReasoning: string;
  /** A deployment that produced it signs its thinking (Claude). */
  signedReasoning: boolean;
}

interface Preset {
  /** The text may hold an open `<think>` block (tag thinking) and the upstream continues it. */
  continuesTagThinking: boolean;
  /** The upstream continues only non-thinking calls (no thinking at all so far, none asked for). */
  nonThinkingOnly: boolean;
  message(prefix: string): ChatMessage;
  extra?: Readonly<Record<string, unknown>>;
}

const PRESETS: Readonly<Record<Exclude<ContinuationPreset, 'none'>, Preset>> = {
  prefill: { continuesTagThinking: true, nonThinkingOnly: false, message: (content) => ({ role: 'assistant', content }) },
  deepseek: { continuesTagThinking: false, nonThinkingOnly: false, message: (content) => ({ role: 'assistant', content, prefix: true }) },
  vllm: {
    continuesTagThinking: true,
    nonThinkingOnly: false,
    message: (content) => ({ role: 'assistant', content }),
    extra: { continue_final_message: true, add_generation_prompt: false },
  },
  dashscope: { continuesTagThinking: false, nonThinkingOnly: true, message: (content) => ({ role: 'assistant', content, partial: true }) },
};

/**
 * The request that continues `so` on an upstream with `preset`, or why it cannot
 * (a sentence for the logs). `request` is the client's request for the new deployment.
 */
export function continuationRequest(preset: ContinuationPreset, request: ChatRequest, so: AnswerSoFar): ChatRequest | string {
  if (preset === 'none') return 'the provider has no continuation';
  const p = PRESETS[preset];
  const tagThinking = /^\s*<think>/.test(so.text) || so.text.includes('</think>');
  const thinking = tagThinking || so.fieldReasoning.length > 0 || request.params?.enable_thinking === true;
  if (p.nonThinkingOnly && thinking) return `"${preset}" continues non-thinking calls only`;
  if (so.signedReasoning && so.fieldReasoning.length > 0) return 'signed thinking cannot be continued';
  if (so.fieldReasoning.length > 0 && so.text.trim().length === 0) return 'the cut was inside thinking sent in a separate field';
  if (tagThinking && !so.text.includes('</think>') && !p.continuesTagThinking) return `"${preset}" cannot continue inside <think>`;
  const { sim: _sim, ...rest } = request;
  const out: ChatRequest = { ...rest, messages: [...request.messages, p.message(so.text)] };
  // The simulator's fault was for the leg that failed; its pace options still apply.
  if (request.sim) {
    const { fault: _fault, ...pace } = request.sim;
    out.sim = pace;
  }
  if (p.extra) out.extra = { ...request.extra, ...p.extra };
  return out;
}
