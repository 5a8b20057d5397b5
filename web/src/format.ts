/** Number formatting for the page's figures. Pure. */
import { tokensPerSecond, type AnswerStats } from './envelope.js';
import type { Strings } from './i18n.js';

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "First token 0.42 s · 38.5 tok/s · 120 tokens", skipping what is unknown. */
export function formatStats(s: AnswerStats, t: Strings): string {
  const parts: string[] = [];
  if (s.firstTokenMs !== undefined) parts.push(`${t.firstToken} ${(s.firstTokenMs / 1000).toFixed(2)} s`);
  const tps = tokensPerSecond(s);
  if (tps !== undefined) parts.push(`${tps.toFixed(1)} ${t.tokPerSec}`);
  if (s.completionTokens !== undefined) parts.push(`${s.completionTokens} ${t.tokens}`);
  if (s.modelName) parts.push(s.modelName);
  return parts.join(' · ');
}
