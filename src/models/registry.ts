/**
 * Which deployments serve a model name: the config's `models` plus the simulated models,
 * which are always present unless a configured model of the same name replaces them. A
 * model with `provider`/`model` is one deployment; `deployments` lists several.
 */
import picomatch from 'picomatch';
import { NotFoundError } from '../core/errors.js';
import { createRandom, type Random } from '../core/random.js';
import type { ReasoningMode } from '../core/split-reasoning.js';
import type { Config, DeploymentConfig, ProviderConfig, RoutingStrategy } from '../config/schema.js';
import type { LanguageModelProvider } from '../providers/types.js';
import { SIMULATED_MODELS, SimulatorProvider } from '../providers/simulator/simulator-provider.js';
import { createProvider } from '../providers/create-provider.js';
import { Deployment, type ModelDeployment } from './deployment.js';
import type { HealthPolicy } from './deployment-health.js';
import { combineObservers, type RoutingObserver } from './routing-observer.js';

export interface ModelRoute {
  /** The name clients ask for. */
  name: string;
  deployments: readonly ModelDeployment[];
  routing: RoutingStrategy;
  /** The first deployment's upstream model name. */
  upstreamModel: string;
  /** The first deployment's provider: what the model can do (tools, OpenAI parameters). */
  provider: LanguageModelProvider;
  reasoning: ReasoningMode;
  /** Model names tried in order when this one fails before its first event. */
  fallbacks: readonly string[];
  /** Extra body fields for the upstream (the config's `params`). */
  params?: Record<string, unknown>;
  /** Unix seconds, for `/v1/models`. */
  created: number;
  /** Other names or globs this model answers to (`models[].aliases`). */
  aliases?: readonly string[];
}

export interface ModelRegistryOptions {
  /** The weighted picker's randomness (seeded in tests). */
  random?: Random;
  observers?: RoutingObserver[];
  /** Providers to close with the registry besides those of the routes' deployments. */
  providers?: LanguageModelProvider[];
}

export class ModelRegistry {
  private readonly routes = new Map<string, ModelRoute>();
  readonly random: Random;
  private readonly observerList: RoutingObserver[];
  /** Every provider built for the routes (connection pools to close). */
  private readonly providers: LanguageModelProvider[];
  /** Every hook of every observer added (also those added later). */
  readonly observer: Required<RoutingObserver>;

  constructor(routes: Iterable<ModelRoute>, options: ModelRegistryOptions = {}) {
    for (const route of routes) this.routes.set(route.name, route);
    this.random = options.random ?? Math.random;
    this.observerList = [...(options.observers ?? [])];
    this.observer = combineObservers(this.observerList);
    this.providers = options.providers ?? [];
  }

  /** Adds an observer (logs, metrics, the shared health store). */
  observe(observer: RoutingObserver): void {
    this.observerList.push(observer);
  }

  /**
   * The route for a client's model name; 404 `model_not_found` when there is none. With
   * `globs` (an API key's models), a model outside them is not found either, and the error
   * lists only the models they allow: a key never learns the names of models it may not use.
   */
  resolve(name: string, globs?: readonly string[]): ModelRoute {
    const visible = (model: string) => !globs || ModelRegistry.allowed(model, globs);
    const route = this.routes.get(name) ?? this.byAlias(name);
    // Through an alias, the key must be allowed both the name it asked for and the model behind it.
    if (!route || !visible(name) || !visible(route.name)) {
      const names = [...this.routes.keys()].filter(visible);
      const available = names.length > 0 ? `Available models: ${names.join(', ')}` : 'No models are available to this API key.';
      throw new NotFoundError(`The model '${name}' does not exist. ${available}`, {
        code: 'model_not_found',
        param: 'model',
      });
    }
    return route;
  }

  /** The first model (in config order) with an alias matching `name`; a real name always wins. */
  private byAlias(name: string): ModelRoute | undefined {
    for (const route of this.routes.values()) {
      if (route.aliases?.some((glob) => glob === name || picomatch.isMatch(name, glob))) return route;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.routes.has(name);
  }

  list(): ModelRoute[] {
    return [...this.routes.values()];
  }

  /** Every deployment once, with the model names that list it. */
  deployments(): { deployment: Deployment; models: string[] }[] {
    const out = new Map<Deployment, string[]>();
    for (const route of this.routes.values()) {
      for (const { deployment } of route.deployments) {
        const models = out.get(deployment) ?? [];
        models.push(route.name);
        out.set(deployment, models);
      }
    }
    return [...out].map(([deployment, models]) => ({ deployment, models }));
  }

  /** Closes every provider's connection pool. */
  async close(): Promise<void> {
    const providers = new Set([...this.providers, ...this.deployments().map((d) => d.deployment.provider)]);
    await Promise.all([...providers].map((p) => p.close?.()));
  }

  /** The names among `names` that match one of `globs` (`*` allows all). */
  static allowed(name: string, globs: readonly string[]): boolean {
    return globs.some((g) => g === '*' || g === name || picomatch.isMatch(name, g));
  }
}

export function buildRegistry(config: Config, options: Omit<ModelRegistryOptions, 'random'> = {}): ModelRegistry {
  const created = Math.floor(Date.now() / 1000);
  const policy: HealthPolicy = config.routing;
  const simulator = new SimulatorProvider(config.simulator);
  const providerConfigs = new Map(config.providers.map((p) => [p.id, p]));
  const providers = new Map<string, LanguageModelProvider>([['sim', simulator]]);
  for (const p of config.providers) providers.set(p.id, createProvider(p, config));

  // One Deployment per (provider, upstream model, timeouts): shared by every model that lists it.
  const byKey = new Map<string, Deployment>();
  const ids = new Set<string>();
  const deploymentOf = (d: DeploymentConfig, modelName: string): Deployment => {
    const upstreamModel = d.model ?? modelName;
    const key = JSON.stringify([d.provider, upstreamModel, d.timeouts ?? null]);
    const known = byKey.get(key);
    if (known) return known;
    const pc = providerConfigs.get(d.provider);
    let id = `${d.provider}/${upstreamModel}`;
    for (let n = 2; ids.has(id); n++) id = `${d.provider}/${upstreamModel}#${n}`;
    ids.add(id);
    const deployment = new Deployment({
      id,
      provider: pc && d.timeouts ? createProvider(withTimeouts(pc, d.timeouts), config) : (providers.get(d.provider) as LanguageModelProvider),
      upstreamModel,
      // The simulator continues its own answers from a trailing assistant message.
      continuation: pc ? pc.continuation : 'prefill',
      signsReasoning: pc?.type === 'anthropic',
      policy,
    });
    byKey.set(key, deployment);
    return deployment;
  };
  const route = (name: string, list: DeploymentConfig[], rest: Omit<ModelRoute, 'name' | 'deployments' | 'upstreamModel' | 'provider' | 'created'>): ModelRoute => {
    const deployments = list.map((d) => ({ deployment: deploymentOf(d, name), weight: d.weight }));
    const first = (deployments[0] as ModelDeployment).deployment;
    return { name, deployments, upstreamModel: first.upstreamModel, provider: first.provider, created, ...rest };
  };

  const routes: ModelRoute[] = Object.keys(SIMULATED_MODELS).map((name) =>
    route(name, [{ provider: 'sim', weight: 1 }], { routing: 'weighted', reasoning: 'auto', fallbacks: [] }),
  );
  for (const m of config.models) {
    const list = m.deployments ?? [{ provider: m.provider as string, weight: 1, ...(m.model ? { model: m.model } : {}) }];
    routes.push(route(m.name, list, { routing: m.routing, reasoning: m.reasoning, fallbacks: m.fallbacks, ...(m.params ? { params: m.params } : {}), ...(m.aliases.length > 0 ? { aliases: m.aliases } : {}) }));
  }
  const seed = config.routing.seed;
  const registry = new ModelRegistry(routes, { ...options, providers: [...providers.values()], ...(seed !== undefined ? { random: createRandom(seed) } : {}) });
  for (const r of routes) {
    for (const name of r.fallbacks) {
      // A typo here would otherwise fail every request to the model with a 404.
      if (!registry.has(name)) throw new Error(`model "${r.name}": unknown fallback "${name}"`);
    }
  }
  return registry;
}

function withTimeouts(config: ProviderConfig, timeouts: NonNullable<DeploymentConfig['timeouts']>): ProviderConfig {
  return { ...config, timeouts: { ...config.timeouts, ...timeouts } };
}
