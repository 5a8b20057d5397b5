/**
 * The simulator's test data: scenarios picked by what the question is about.
 *
 * A text is a list of slots; each slot is a list of alternative wordings, one of which is
 * picked per run (seeded), so the same request with the same `seed` gives the same text
 * and runs without a seed vary. Slots are joined as written: put the spaces, newlines and
 * Markdown in the strings themselves.
 *
 * Placeholders filled by the engine from the real request and clock:
 * `{question}` the user's question; `{weekday}` today's weekday in the text's language;
 * `{date}` today's date (YYYY-MM-DD); `{time}` HH:mm; `{previous}` the previous user
 * question of the conversation (empty on the first turn); `{turns}` how many earlier
 * user turns there were.
 */
export type Slot = readonly string[];

export interface ScenarioText {
  /** What the model thinks before answering (several sentences about the actual question). */
  thinking: readonly Slot[];
  /** The answer, Markdown where it fits. */
  answer: readonly Slot[];
}

export interface Scenario {
  id: string;
  /**
   * Matched against the last user message, lower-cased. The scenario with the most
   * matching patterns wins; ties go to the earlier scenario in the corpus.
   */
  match: readonly RegExp[];
  zh: ScenarioText;
  en: ScenarioText;
  /** Used for follow-up turns (conversation has history), if present. */
  followUp?: { zh: ScenarioText; en: ScenarioText };
}
