/**
 * The benchmark's upstream scenarios and the config its streamgate processes run with:
 * the shipped defaults but for what the benchmark needs (`gateway-config.test.ts` checks
 * that nothing else differs, and that the usage ledger records the benchmark's streams).
 */
import type { Config, ConfigInput } from '../src/config/schema.js';
import { STOP_PATHS, type StopCase } from './stop.js';

/** Interval of heartbeats on a quiet stream: short, so the idle phase sees several. */
export const HEARTBEAT_MS = 1000;

/** Upstream scenarios (path `/s/<tokens>/<delayMs>`) and the simulator options that match them. */
export const SCENARIOS = {
  short: { tokens: 8, delayMs: 1, sim: { tokens_per_second: 1000, first_token_ms: 0 } },
  paced: { tokens: 16, delayMs: 20, sim: { tokens_per_second: 50, first_token_ms: 0 } },
  full: { tokens: 200, delayMs: 0, sim: { tokens_per_second: 0, first_token_ms: 0 } },
  idle: { tokens: 1_000_000, delayMs: 600_000, sim: { tokens_per_second: 0.001, first_token_ms: 0 } },
} as const;
export type Scenario = keyof typeof SCENARIOS;
export const upstreamPath = (s: Scenario) => `/s/${SCENARIOS[s].tokens}/${SCENARIOS[s].delayMs}`;
/** Chunks a whole stream of the scenario carries (the idle one never ends). */
export const expected = (s: Scenario) => (s === 'idle' ? undefined : SCENARIOS[s].tokens);

const STOP_CASES = Object.keys(STOP_PATHS) as StopCase[];

/**
 * The config as shipped but for what the benchmark needs: its providers and models, the
 * log level under test, a short heartbeat (so the idle phase sees several) and a data
 * directory of its own. Everything else keeps its default: metrics on, traces as shipped
 * (no OTLP endpoint), the embedded SQLite store with its usage ledger, sessions saved by
 * `/v1/complete`, stored Responses, resumable streams in the memory log.
 */
export function gatewayConfig(upstreamPort: number, stopPort: number, logLevel: Config['logLevel'], dataDir: string): ConfigInput {
  const names = Object.keys(SCENARIOS) as Scenario[];
  return {
    logLevel,
    heartbeatMs: HEARTBEAT_MS,
    dataDir,
    providers: [
      ...names.map((s) => ({ id: `up-${s}`, type: 'openai' as const, baseURL: `http://127.0.0.1:${upstreamPort}${upstreamPath(s)}/v1`, apiKey: 'bench-key', maxRetries: 0 })),
      // The default retries (2): a stop must drop them, which the stop phase checks.
      ...STOP_CASES.map((c) => ({ id: `up-stop-${c}`, type: 'openai' as const, baseURL: `http://127.0.0.1:${stopPort}${STOP_PATHS[c]}/v1`, apiKey: 'bench-key' })),
    ],
    models: [
      ...names.map((s) => ({ name: `bench-${s}`, provider: `up-${s}`, model: 'bench', reasoning: 'auto' as const })),
      ...STOP_CASES.map((c) => ({ name: `bench-stop-${c}`, provider: `up-stop-${c}`, model: 'bench', reasoning: 'none' as const })),
    ],
  };
}
