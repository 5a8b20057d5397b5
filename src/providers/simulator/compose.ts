/**
 * Picks the scenario a question is about and writes out its thinking and answer, with
 * the placeholders filled from the real request and clock.
 */
import { pick, type Random } from '../../core/random.js';
import type { Scenario, ScenarioText, Slot } from './corpus-types.js';
import { fallbackScenario, scenarios } from './corpus/index.js';

export interface Composition {
  scenarioId: string;
  language: 'zh' | 'en';
  thinking: string;
  answer: string;
}

export interface ComposeInput {
  /** User questions of the conversation, oldest first; the last is the current one. */
  userTurns: string[];
  random: Random;
  now?: Date;
}

const CJK = /\p{Script=Han}/u;
const WEEKDAYS = {
  zh: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/** The scenario with the most matching patterns (ties: the earlier one), or null. */
export function matchScenario(question: string, corpus: readonly Scenario[] = scenarios): Scenario | null {
  const q = question.toLowerCase();
  let best: Scenario | null = null;
  let bestScore = 0;
  for (const scenario of corpus) {
    let score = 0;
    for (const pattern of scenario.match) if (pattern.test(q)) score++;
    if (score > bestScore) {
      best = scenario;
      bestScore = score;
    }
  }
  return best;
}

export function compose(input: ComposeInput): Composition {
  const question = input.userTurns.at(-1) ?? '';
  const previous = input.userTurns.length > 1 ? (input.userTurns.at(-2) ?? '') : '';
  const language = CJK.test(question) ? 'zh' : 'en';
  let scenario = matchScenario(question);
  let text: ScenarioText | undefined;
  if (scenario === null && previous) {
    // A follow-up that names no topic ("tell me more") continues the previous one.
    const earlier = matchScenario(previous);
    if (earlier?.followUp) {
      scenario = earlier;
      text = earlier.followUp[language];
    }
  }
  scenario ??= fallbackScenario;
  text ??= scenario[language];
  const now = input.now ?? new Date();
  const values: Record<string, string> = {
    question: question.trim(),
    previous: previous.trim(),
    turns: String(input.userTurns.length - 1),
    weekday: WEEKDAYS[language][now.getDay()] as string,
    date: formatDate(now),
    time: `${pad(now.getHours())}:${pad(now.getMinutes())}`,
  };
  return {
    scenarioId: scenario.id,
    language,
    thinking: fill(render(text.thinking, input.random), values),
    answer: fill(render(text.answer, input.random), values),
  };
}

function render(slots: readonly Slot[], random: Random): string {
  let out = '';
  for (const slot of slots) out += pick(random, slot);
  return out;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(question|previous|turns|weekday|date|time)\}/g, (_, key: string) => values[key] ?? '');
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
