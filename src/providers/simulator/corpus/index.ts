// Stand-in until the full corpus lands: one generic scenario in both languages.
import type { Scenario } from '../corpus-types.js';

export const fallbackScenario: Scenario = {
  id: 'fallback',
  match: [],
  zh: {
    thinking: [['\n嗯，用户问的是“{question}”。'], ['我先想想该从哪里说起。'], ['应该给出清晰、有条理的回答。\n']],
    answer: [['\n\n关于“{question}”，'], ['这是一个好问题。'], ['\n\n1. 先明确目标\n2. 再分步骤处理\n']],
  },
  en: {
    thinking: [['\nOkay, the user asked "{question}".'], [' Let me think about how to answer.'], [' A clear, structured reply is best.\n']],
    answer: [['\n\nAbout "{question}":'], [' good question.'], ['\n\n1. Define the goal\n2. Work through it step by step\n']],
  },
};

export const scenarios: readonly Scenario[] = [];
