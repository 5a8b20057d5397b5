/**
 * Drops the samples of Prometheus text exposition whose `model` label names a model the
 * reader may not see, so `/metrics` never tells a key of models it may not use. `# HELP`
 * and `# TYPE` lines and samples without a model (or with `model=""`) stay.
 */

/** `model="…"` as prom-client writes it: `\\`, `\"` and `\n` escaped. */
const MODEL_LABEL = /[{,]model="((?:[^"\\]|\\.)*)"/;

export function filterModels(exposition: string, visible: (model: string) => boolean): string {
  return exposition
    .split('\n')
    .filter((line) => {
      if (line.startsWith('#')) return true;
      const match = MODEL_LABEL.exec(line);
      if (!match) return true;
      const model = match[1]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      return model === '' || visible(model);
    })
    .join('\n');
}
