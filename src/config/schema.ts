/**
 * The config file's schema (keys fixed by `shared/spec/interfaces.md`; the rest are
 * streamgate's own, all optional with embedded defaults).
 */
import { z } from 'zod';

/** CORS default: pages served from this machine (any port), what a front-end dev server uses. */
export const DEFAULT_CORS_ORIGINS: readonly string[] = [
  'http://localhost',
  'http://localhost:*',
  'http://127.0.0.1',
  'http://127.0.0.1:*',
  'http://[::1]',
  'http://[::1]:*',
];

const reasoningFormat = z.enum(['separate', 'inline', 'hidden']);
const port = z.coerce.number().int().min(0).max(65535);

const rateLimitSchema = z
  .object({
    requestsPerMinute: z.number().int().positive().optional(),
    concurrentStreams: z.number().int().positive().optional(),
  })
  .strict();

const keySchema = z
  .object({
    key: z.string().min(8, 'an API key must be at least 8 characters'),
    name: z.string().min(1).optional(),
    models: z.array(z.string().min(1)).default(['*']),
    rateLimit: rateLimitSchema.optional(),
    /** Per UTC day: past it the next request gets 429 `budget_exceeded` (a request that started under it runs to its end). */
    budget: z
      .object({
        tokensPerDay: z.number().int().positive().optional(),
        requestsPerDay: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /** Sees every owner's sessions and streams, `/metrics` and the operators' endpoints. */
    admin: z.boolean().default(false),
  })
  .strict();

const timeoutsSchema = z
  .object({
    connectMs: z.number().int().positive().default(10_000),
    firstByteMs: z.number().int().positive().default(600_000),
    idleMs: z.number().int().positive().default(120_000),
  })
  .strict();

const providerSchema = z
  .object({
    id: z.string().min(1),
    type: z.enum(['openai', 'anthropic']),
    baseURL: z.url(),
    apiKey: z.string().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
    /** Retries on 429/5xx/connection errors before the first byte. */
    maxRetries: z.number().int().min(0).max(10).default(2),
    /**
     * `type: openai`: the body field that carries the client's token limit. OpenAI's o-series
     * and gpt-5 models reject `max_tokens` and want `max_completion_tokens` (every current
     * OpenAI chat model takes it); most compatible servers (vLLM, DashScope, Ollama) read `max_tokens`.
     */
    maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).default('max_tokens'),
    /** How this upstream continues an answer cut mid-stream (docs/routing.md). */
    continuation: z.enum(['none', 'prefill', 'deepseek', 'vllm', 'dashscope']).default('none'),
  })
  .strict();

/** One place a model is served: a provider (its key, region or replica) and the upstream's model name. */
const deploymentSchema = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1).optional(),
    /** Share of requests under `routing: weighted`. */
    weight: z.number().positive().default(1),
    /** Overrides the provider's `timeouts` for this deployment (each key given replaces the provider's). */
    timeouts: z
      .object({ connectMs: z.number().int().positive(), firstByteMs: z.number().int().positive(), idleMs: z.number().int().positive() })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

/** Health thresholds of every deployment (docs/routing.md). */
const routingSchema = z
  .object({
    /** Consecutive failures (5xx, connection errors, timeouts) that open a deployment's circuit. */
    failureThreshold: z.number().int().positive().default(3),
    /** How long an open circuit refuses requests before it half-opens, in ms. */
    openMs: z.number().int().positive().default(30_000),
    /** A half-open circuit lets one request probe per this many ms. */
    probeIntervalMs: z.number().int().positive().default(5_000),
    /** A 429 without `Retry-After` cools the deployment this long, doubled per consecutive 429, in ms. */
    rateLimitCooldownMs: z.number().int().positive().default(1_000),
    /** Longest cooldown a 429 (its `Retry-After` included) imposes, in ms. */
    maxCooldownMs: z.number().int().positive().default(300_000),
    /** A 401/403 (a revoked key) cools the deployment this long, in ms. */
    authCooldownMs: z.number().int().positive().default(300_000),
    /** Seed of the weighted picker, for reproducible tests; absent = Math.random. */
    seed: z.number().int().optional(),
  })
  .strict();

const modelSchema = z
  .object({
    name: z.string().min(1),
    /** One deployment: `provider` and `model`; several: `deployments` (not both). */
    provider: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    deployments: z.array(deploymentSchema).min(1).max(32).optional(),
    routing: z.enum(['weighted', 'least-busy', 'lowest-latency']).default('weighted'),
    reasoning: z.enum(['auto', 'tags', 'field', 'none']).default('auto'),
    fallbacks: z.array(z.string().min(1)).default([]),
    /** Extra body fields sent upstream as they are (e.g. `enable_thinking: true`). */
    params: z.record(z.string(), z.unknown()).optional(),
    /** Other names (or globs, e.g. `claude-*`) this model answers to. */
    aliases: z.array(z.string().min(1)).default([]),
  })
  .strict();

const storeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('memory') }).strict(),
  z.object({ type: z.literal('sqlite') }).strict(),
  z.object({ type: z.literal('redis'), url: z.string().min(1) }).strict(),
]);

export const configSchema = z
  .object({
    port: port.default(8003),
    host: z.string().min(1).default('127.0.0.1'),
    dataDir: z.string().min(1).default('./data'),
    reasoningFormat: reasoningFormat.default('separate'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Largest request body accepted, in bytes (413 above it). */
    bodyLimitBytes: z.number().int().positive().default(1024 * 1024),
    /** Interval of `: ping` comments on a quiet stream, in ms. */
    heartbeatMs: z.number().int().positive().default(15_000),
    simulator: z
      .object({
        tokensPerSecond: z.number().min(0).default(40),
        firstTokenMs: z.number().int().min(0).default(400),
      })
      .strict()
      .default({ tokensPerSecond: 40, firstTokenMs: 400 }),
    sessions: z
      .object({ historyTurns: z.number().int().min(0).default(10) })
      .strict()
      .default({ historyTurns: 10 }),
    auth: z.object({ keys: z.array(keySchema).min(1) }).strict().optional(),
    /** `requireKey: true` puts `/metrics` behind an admin key. */
    metrics: z.object({ requireKey: z.boolean().default(false) }).strict().default({ requireKey: false }),
    /** Without `auth`: Host names answered besides localhost, IP addresses and `host` (`.example.com` also covers its subdomains). */
    allowedHosts: z.array(z.string().min(1)).default([]),
    providers: z.array(providerSchema).default([]),
    models: z.array(modelSchema).default([]),
    store: storeSchema.optional(),
    routing: routingSchema.default(routingSchema.parse({})),
    /** Resumable streams: how long a run waits for its client to come back, how long finished ones stay replayable, memory bounds. */
    streams: z
      .object({
        resumeGraceMs: z.number().int().min(0).default(30_000),
        retentionMs: z.number().int().min(0).default(300_000),
        maxStreams: z.number().int().positive().default(10_000),
        maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
        /** Redis log only: one stream's frame text and frame count (past them it is no longer resumable elsewhere). */
        maxStreamBytes: z.number().int().positive().default(8 * 1024 * 1024),
        maxStreamFrames: z.number().int().positive().default(100_000),
      })
      .strict()
      .default({
        resumeGraceMs: 30_000,
        retentionMs: 300_000,
        maxStreams: 10_000,
        maxBytes: 64 * 1024 * 1024,
        maxStreamBytes: 8 * 1024 * 1024,
        maxStreamFrames: 100_000,
      }),
    /** Browser pages on other origins that may call the API: exact origins, `*`, or `https://*.example.com`; `[]` turns CORS off. */
    cors: z
      .object({
        origins: z.array(z.string().min(1)).default([...DEFAULT_CORS_ORIGINS]),
        maxAgeSeconds: z.number().int().min(0).default(600),
      })
      .strict()
      .default({ origins: [...DEFAULT_CORS_ORIGINS], maxAgeSeconds: 600 }),
    /** Bounds on hostile peers: a whole request body (ms), open connections, one upstream SSE line or event (bytes). */
    limits: z
      .object({
        /** A whole request body must arrive within this time (408 `body_timeout` otherwise). */
        bodyTimeoutMs: z.number().int().positive().default(30_000),
        /** Open client connections at once; more are closed as they arrive. */
        maxConnections: z.number().int().positive().default(10_000),
        upstreamEventBytes: z.number().int().min(1024).default(1024 * 1024),
        /**
         * A client whose socket takes nothing for this long while its answer waits (it
         * stopped reading) is disconnected: meanwhile its upstream is held back, so a
         * client that never reads must not hold it, and its slot, forever.
         */
        stalledClientMs: z.number().int().positive().default(60_000),
      })
      .strict()
      .default({ bodyTimeoutMs: 30_000, maxConnections: 10_000, upstreamEventBytes: 1024 * 1024, stalledClientMs: 60_000 }),
    /** OpenTelemetry traces (GenAI semantic conventions) over OTLP/HTTP to `otlpEndpoint` (e.g. `http://127.0.0.1:4318/v1/traces`); '' = off. */
    telemetry: z
      .object({ otlpEndpoint: z.union([z.literal(''), z.url()]).default('') })
      .strict()
      .default({ otlpEndpoint: '' }),
    /** Stored `/v1/responses` (`store: true`): how long one is kept, in ms (7 days by default). */
    responses: z
      .object({ retentionMs: z.number().int().positive().default(604_800_000) })
      .strict()
      .default({ retentionMs: 604_800_000 }),
    /** On SIGTERM, how long running streams may go on before clients are told to resume elsewhere. */
    shutdownGraceMs: z.number().int().min(0).default(20_000),
  })
  .strict()
  .superRefine((config, ctx) => {
    const providerIds = new Set(['sim']);
    config.providers.forEach((p, i) => {
      if (providerIds.has(p.id)) {
        ctx.addIssue({ code: 'custom', path: ['providers', i, 'id'], message: `duplicate provider id "${p.id}"` });
      }
      providerIds.add(p.id);
    });
    if (config.metrics.requireKey && !config.auth?.keys.some((k) => k.admin)) {
      ctx.addIssue({ code: 'custom', path: ['metrics', 'requireKey'], message: 'needs an admin key: set admin: true on one of auth.keys' });
    }
    const names = new Set<string>();
    config.models.forEach((m, i) => {
      if (names.has(m.name)) ctx.addIssue({ code: 'custom', path: ['models', i, 'name'], message: `duplicate model "${m.name}"` });
      names.add(m.name);
      const known = (id: string, path: (string | number)[]) => {
        if (providerIds.has(id)) return;
        ctx.addIssue({ code: 'custom', path, message: `unknown provider "${id}" (known: ${[...providerIds].join(', ')})` });
      };
      if (m.deployments) {
        if (m.provider !== undefined || m.model !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['models', i, 'deployments'], message: 'give either provider/model or deployments, not both' });
        }
        m.deployments.forEach((d, j) => known(d.provider, ['models', i, 'deployments', j, 'provider']));
      } else if (m.provider === undefined) {
        ctx.addIssue({ code: 'custom', path: ['models', i, 'provider'], message: 'a model needs a provider (or deployments)' });
      } else known(m.provider, ['models', i, 'provider']);
    });
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ProviderConfig = Config['providers'][number];
export type ModelConfig = Config['models'][number];
export type DeploymentConfig = NonNullable<ModelConfig['deployments']>[number];
export type RoutingConfig = Config['routing'];
export type RoutingStrategy = ModelConfig['routing'];
export type ContinuationPreset = ProviderConfig['continuation'];
export type ApiKeyConfig = NonNullable<Config['auth']>['keys'][number];
export type ReasoningFormat = z.infer<typeof reasoningFormat>;
export type ReasoningMode = ModelConfig['reasoning'];
