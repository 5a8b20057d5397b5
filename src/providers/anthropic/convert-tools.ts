/**
 * OpenAI's `tools`, `tool_choice` and `parallel_tool_calls` in the Messages API's words:
 * a function's `parameters` become `input_schema` (which must be an object schema);
 * `auto` stays `auto`, `required` is `any`, a named function is `{type: "tool", name}`,
 * `none` is `none`; `parallel_tool_calls: false` is `disable_parallel_tool_use: true`.
 */
import type { ChatRequest } from '../types.js';

export interface AnthropicTools {
  tools?: Array<{ name: string; description?: string; input_schema: Record<string, unknown> }>;
  tool_choice?: Record<string, unknown>;
}

export function convertTools(request: Pick<ChatRequest, 'tools' | 'toolChoice' | 'parallelToolCalls'>): AnthropicTools {
  if (!request.tools || request.tools.length === 0) return {};
  const tools = request.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    input_schema: { type: 'object', ...tool.parameters },
  }));
  const choice = request.toolChoice;
  if (choice === 'none') return { tools, tool_choice: { type: 'none' } };
  const toolChoice: Record<string, unknown> =
    choice === 'required' ? { type: 'any' } : typeof choice === 'object' ? { type: 'tool', name: choice.name } : { type: 'auto' };
  if (request.parallelToolCalls === false) toolChoice.disable_parallel_tool_use = true;
  else if (choice === undefined) return { tools };
  return { tools, tool_choice: toolChoice };
}
