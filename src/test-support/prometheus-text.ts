/** Reading Prometheus exposition text in tests. */

/** The value of one sample line, e.g. `name{a="b"}`; undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
