/**
 * OpenTelemetry traces, off unless `telemetry.otlpEndpoint` is set: then one tracer
 * provider per server (never the global one, so servers in one process stay apart) that
 * batches spans and sends them over OTLP/HTTP (JSON) to the endpoint. Off, there is no
 * provider, no exporter and no span objects: the stream recorder skips tracing entirely.
 */
import type { Tracer } from '@opentelemetry/api';
import type { Config } from '../config/schema.js';
import { VERSION } from '../version.js';

export interface Tracing {
  /** Null when tracing is off. */
  tracer: Tracer | null;
  /** Sends the spans still queued, then stops. */
  close(): Promise<void>;
}

/** Off: nothing is loaded. On: the SDK and the exporter are imported here, not at startup. */
export async function createTracing(config: Config['telemetry']): Promise<Tracing> {
  if (!config.otlpEndpoint) return { tracer: null, close: async () => undefined };
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BasicTracerProvider, BatchSpanProcessor }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'streamgate', 'service.version': VERSION }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpEndpoint }), { scheduledDelayMillis: 1000 })],
  });
  return {
    tracer: provider.getTracer('streamgate', VERSION),
    close: () => provider.shutdown(),
  };
}
