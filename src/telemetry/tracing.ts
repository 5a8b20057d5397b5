/**
 * OpenTelemetry traces, off unless `telemetry.otlpEndpoint` is set: then one tracer
 * provider per server (never the global one, so servers in one process stay apart) that
 * batches spans and sends them over OTLP/HTTP (JSON) to the endpoint. Off, there is no
 * provider, no exporter and no span objects: the stream recorder skips tracing entirely.
 */
import type { Tracer } from '@opentelemetry/api';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import { VERSION } from '../version.js';

export interface Tracing {
  /** Null when tracing is off. */
  tracer: Tracer | null;
  /**
   * Sends the spans still queued, then stops. Never rejects and never waits more than
   * `CLOSE_TIMEOUT_MS`: a collector that is down at shutdown costs those spans (logged),
   * not the rest of the shutdown (the usage ledger and the stores close after it).
   */
  close(): Promise<void>;
}

/** How long a shutdown waits for the last spans to reach the collector. */
const CLOSE_TIMEOUT_MS = 5_000;

/** Off: nothing is loaded. On: the SDK and the exporter are imported here, not at startup. */
export async function createTracing(config: Config['telemetry'], logger?: Logger): Promise<Tracing> {
  if (!config.otlpEndpoint) return { tracer: null, close: async () => undefined };
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BasicTracerProvider, BatchSpanProcessor }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'streamgate', 'service.version': VERSION }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpEndpoint, timeoutMillis: CLOSE_TIMEOUT_MS }), { scheduledDelayMillis: 1000, exportTimeoutMillis: CLOSE_TIMEOUT_MS }),
    ],
  });
  const endpoint = config.otlpEndpoint;
  return {
    tracer: provider.getTracer('streamgate', VERSION),
    close: async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), CLOSE_TIMEOUT_MS);
        timer.unref();
      });
      try {
        const result = await Promise.race([provider.shutdown().then(() => 'sent' as const), late]);
        if (result === 'late') logger?.warn({ endpoint, waitedMs: CLOSE_TIMEOUT_MS }, 'the trace collector did not take the last spans in time; they are dropped');
      } catch (err) {
        logger?.warn({ endpoint, err: (err as Error).message }, 'could not send the last spans to the trace collector; they are dropped');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
