/**
 * A child process that drives one contender (see `contenders.ts`) through append scenarios and
 * reports each measured window to the parent. One process per contender, so none inherits
 * another's driver settings, heap or JIT state. A scenario is prepared once (pool, warm-up), then
 * measured in several short windows that the parent interleaves with the other contenders'; the
 * writers are idle between windows, so only the contender being measured loads the machine.
 */
import { ownCpuSeconds, processesCpuSeconds } from '../lib/proc-cpu.js';
import { runLoad } from '../lib/timing.js';
import { serveWorker } from '../lib/workers.js';
import {
  contenders,
  migrateEmmett,
  type Contender,
  type ContenderName,
  type ContenderTarget,
} from './contenders.js';
import { appointmentBatch, appointmentStream, type AppointmentStream } from './payload.js';

export interface AppendScenario {
  name: string;
  writers: number;
  /** Events per append (one transaction each). */
  batchSize: number;
  /** A writer starts a new stream once its current one holds this many events. */
  eventsPerStream: number;
  /** Makes stream ids unique across scenarios and runs. */
  runId: string;
}

export interface WindowFigures {
  events: number;
  appends: number;
  seconds: number;
  /** Milliseconds of every append that started and ended in the window. */
  latenciesMs: number[];
  /** CPU seconds in the window: this worker (client side) and the Postgres backends of its pool. */
  clientCpuSeconds: number;
  postgresCpuSeconds: number;
}

export interface WorkerInit {
  contender: ContenderName;
  target: Omit<ContenderTarget, 'poolSize'>;
}

let init: WorkerInit | undefined;
let current: { scenario: AppendScenario; contender: Contender; writers: WriterState[] } | undefined;

interface WriterState {
  stream: AppointmentStream;
  version: number;
  n: number;
}

function op(s: AppendScenario, contender: Contender, writers: WriterState[]) {
  return async (w: number): Promise<number> => {
    const state = writers[w]!;
    if (state.version + s.batchSize > s.eventsPerStream) {
      state.n += 1;
      state.stream = appointmentStream(s.runId, w, state.n);
      state.version = 0;
    }
    const { events, metadata } = appointmentBatch(state.stream, state.version + 1, s.batchSize);
    await contender.append(state.stream.streamId, state.version, events, metadata);
    state.version += s.batchSize;
    return s.batchSize;
  };
}

async function measureWindow(rampMs: number, durationMs: number): Promise<WindowFigures> {
  if (current === undefined) throw new Error('prepare first');
  const backends = current.contender.backendPids();
  if (backends.length < current.scenario.writers) throw new Error(`only ${backends.length} backends seen`);
  let cpu = { client: 0, postgres: 0 };
  const result = await runLoad({
    concurrency: current.scenario.writers,
    warmupMs: rampMs,
    durationMs,
    op: op(current.scenario, current.contender, current.writers),
    onWindowStart: () => (cpu = { client: ownCpuSeconds(), postgres: processesCpuSeconds(backends) }),
    onWindowEnd: () =>
      (cpu = {
        client: ownCpuSeconds() - cpu.client,
        postgres: processesCpuSeconds(backends) - cpu.postgres,
      }),
  });
  return {
    events: result.items,
    appends: result.ops,
    seconds: result.elapsedMs / 1000,
    latenciesMs: Array.from(result.latenciesMs, (ms) => Math.round(ms * 1000) / 1000),
    clientCpuSeconds: cpu.client,
    postgresCpuSeconds: cpu.postgres,
  };
}

serveWorker({
  init: async (payload: WorkerInit) => {
    init = payload;
    if (payload.contender === 'emmett') await migrateEmmett(payload.target.url);
    return null;
  },
  /** Opens a pool sized to the writers (each writer has a connection of its own) and warms it up. */
  prepare: async ({ scenario, warmupMs }: { scenario: AppendScenario; warmupMs: number }) => {
    if (init === undefined) throw new Error('init first');
    const contender = contenders[init.contender]({ ...init.target, poolSize: scenario.writers });
    const writers = Array.from({ length: scenario.writers }, (_, w) => ({
      stream: appointmentStream(scenario.runId, w, 0),
      version: 0,
      n: 0,
    }));
    current = { scenario, contender, writers };
    await runLoad({
      concurrency: scenario.writers,
      warmupMs,
      durationMs: 0,
      op: op(scenario, contender, writers),
    });
    return null;
  },
  measure: ({ rampMs, durationMs }: { rampMs: number; durationMs: number }) =>
    measureWindow(rampMs, durationMs),
  finish: async () => {
    await current?.contender.close();
    current = undefined;
    return null;
  },
});
