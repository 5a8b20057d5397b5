/** UTC days, the unit of the usage ledger and of budgets. */

/** `YYYY-MM-DD` of the UTC day that holds `at` (Unix ms). */
export function utcDay(at: number = Date.now()): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Unix ms of the next UTC midnight after `at`: when a daily budget resets. */
export function nextUtcMidnight(at: number = Date.now()): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** The day `n` days before `day` (`YYYY-MM-DD`). */
export function daysBefore(day: string, n: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000);
}

/** Every day from `from` to `to`, inclusive, newest first. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${to}T00:00:00Z`), end = Date.parse(`${from}T00:00:00Z`); t >= end; t -= 86_400_000) out.push(utcDay(t));
  return out;
}
