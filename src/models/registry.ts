/**
 * Which provider serves a model name: the config's `models` plus the simulated models,
 * which are always present unless a configured model of the same name replaces them.
 */
import picomatch from 'picomatch';
import { NotFoundError } from '../core/errors.js';
import type { ReasoningMode } from '../core/split-reasoning.js';
import type { Config } from '../config/schema.js';
import type { LanguageModelProvider } from '../providers/types.js';
import { SIMULATED_MODELS, SimulatorProvider } from '../providers/simulator/simulator-provider.js';
import { createProvider } from '../providers/create-provider.js';

export interface ModelRoute {
  /** The name clients ask for. */
  name: string;
  /** The name the upstream is asked for. */
  upstreamModel: string;
  provider: LanguageModelProvider;
  reasoning: ReasoningMode;
  /** Model names tried in order when this one fails before its first event. */
  fallbacks: readonly string[];
  /** Extra body fields for the upstream (the config's `params`). */
  params?: Record<string, unknown>;
  /** Unix seconds, for `/v1/models`. */
  created: number;
}

export class ModelRegistry {
  private readonly routes = new Map<string, ModelRoute>();

  constructor(routes: Iterable<ModelRoute>) {
    for (const route of routes) this.routes.set(route.name, route);
  }

  /**
   * The route for a client's model name; 404 `model_not_found` when there is none. With
   * `globs` (an API key's models), a model outside them is not found either, and the error
   * lists only the models they allow: a key never learns the names of models it may not use.
   */
  resolve(name: string, globs?: readonly string[]): ModelRoute {
    const visible = (model: string) => !globs || ModelRegistry.allowed(model, globs);
    const route = this.routes.get(name);
    if (!route || !visible(name)) {
      const names = [...this.routes.keys()].filter(visible);
      const available = names.length > 0 ? `Available models: ${names.join(', ')}` : 'No models are available to this API key.';
      throw new NotFoundError(`The model '${name}' does not exist. ${available}`, {
        code: 'model_not_found',
        param: 'model',
      });
    }
    return route;
  }

  has(name: string): boolean {
    return this.routes.has(name);
  }

  list(): ModelRoute[] {
    return [...this.routes.values()];
  }

  /** Closes every provider's connection pool. */
  async close(): Promise<void> {
    const providers = new Set(this.list().map((r) => r.provider));
    await Promise.all([...providers].map((p) => p.close?.()));
  }

  /** The names among `names` that match one of `globs` (`*` allows all). */
  static allowed(name: string, globs: readonly string[]): boolean {
    return globs.some((g) => g === '*' || g === name || picomatch.isMatch(name, g));
  }
}

export function buildRegistry(config: Config): ModelRegistry {
  const created = Math.floor(Date.now() / 1000);
  const simulator = new SimulatorProvider(config.simulator);
  const providers = new Map<string, LanguageModelProvider>([['sim', simulator]]);
  for (const p of config.providers) providers.set(p.id, createProvider(p, config));

  const routes: ModelRoute[] = Object.keys(SIMULATED_MODELS).map((name) => ({
    name,
    upstreamModel: name,
    provider: simulator,
    reasoning: 'auto',
    fallbacks: [],
    created,
  }));
  for (const m of config.models) {
    routes.push({
      name: m.name,
      upstreamModel: m.model ?? m.name,
      provider: providers.get(m.provider) as LanguageModelProvider,
      reasoning: m.reasoning,
      fallbacks: m.fallbacks,
      ...(m.params ? { params: m.params } : {}),
      created,
    });
  }
  const registry = new ModelRegistry(routes);
  for (const route of routes) {
    for (const name of route.fallbacks) {
      // A typo here would otherwise fail every request to the model with a 404.
      if (!registry.has(name)) throw new Error(`model "${route.name}": unknown fallback "${name}"`);
    }
  }
  return registry;
}
