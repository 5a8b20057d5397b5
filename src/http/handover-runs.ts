/**
 * The routes' side of a handover at a shutdown (`streams/handover.ts`): what each route
 * keeps of a run so another instance can rebuild it (`HandoverSource`), and how that
 * instance rebuilds it (`HandoverResumer`): the same encoder with the same parameters,
 * observers recording the whole run, and the model's stream replayed and continued
 * (`continueHandedOver`).
 */
import type { OpenedStream, HandedOverLeg } from '../models/open-stream.js';
import { continueHandedOver } from '../models/open-stream.js';
import type { ChatRequest } from '../providers/types.js';
import { StreamTape, type HandoverRecord, type HandoverSource, type ResumeMode } from '../streams/handover.js';
import type { EventStream } from '../core/events.js';
import type { AppContext } from './app-context.js';

/** Where a run's model stream stands, as a record carries it. */
export interface ServedState {
  /** The public model name the client asked for. */
  model: string;
  request: Omit<ChatRequest, 'model'>;
  /** The public name of the model that served (a fallback, if any). */
  servedBy: string;
  /** The deployment serving at the handover. */
  deployment: string;
  legs: HandedOverLeg[];
}

/**
 * A source for `runStream`: records the model's events on a tape (pass `tape` to
 * `openStream`) and captures the route's `state` with where the model stands; a run
 * that had no first event, or was streaming a tool call, is not handed over.
 */
export function handoverSource<S extends object>(kind: string, tape: StreamTape, served: () => OpenedStream | undefined, state: () => S & Pick<ServedState, 'model' | 'request'>): HandoverSource {
  return {
    kind,
    tape,
    capture() {
      const opened = served();
      if (!opened) return 'the model had not answered yet';
      if (tape.hasToolCalls) return 'a tool call was being streamed';
      const legs = opened.legs.map((leg) => ({ ...leg, deployment: leg.deployment.id }));
      return { ...state(), servedBy: opened.route.name, deployment: legs.at(-1)!.deployment, legs } satisfies ServedState;
    },
  };
}

/** The model stream of a rebuilt run: the record's events replayed, then continued; `onOpened` sees it as `openStream`'s callers do. */
export function reopenStream(ctx: AppContext, record: HandoverRecord, mode: ResumeMode, tape: StreamTape, onOpened: (opened: OpenedStream) => void) {
  const state = record.state as ServedState;
  return async (signal: AbortSignal): Promise<EventStream> => {
    const opened = continueHandedOver({
      registry: ctx.registry,
      model: state.model,
      request: state.request,
      signal,
      tape,
      served: state.servedBy,
      deployment: state.deployment,
      replay: StreamTape.from(record.tape).batches(),
      legs: state.legs,
      mode,
    });
    onOpened(opened);
    return opened.events;
  };
}
