import { randomBytes } from 'node:crypto';
import { emit, emitComparisons, log } from '../lib/emit.js';
import { percentile } from '../lib/stats.js';
import { startWorker, type Worker } from '../lib/workers.js';
import type { AppendScenario, WindowFigures, WorkerInit } from './append-worker.js';
import { config } from './config.js';
import type { ContenderName } from './contenders.js';

export interface AppendTargets {
  ours: WorkerInit['target'];
  emmett: WorkerInit['target'];
}

interface ScenarioSpec {
  name: string;
  writers: number;
  batchSize: number;
  eventsPerStream: number;
  latency: boolean;
}

const SCENARIOS: ScenarioSpec[] = [
  {
    name: 'append.single.1w',
    writers: 1,
    batchSize: 1,
    eventsPerStream: config.append.eventsPerStream,
    latency: true,
  },
  {
    name: 'append.single.8w',
    writers: 8,
    batchSize: 1,
    eventsPerStream: config.append.eventsPerStream,
    latency: true,
  },
  { name: 'append.batch100', writers: 8, batchSize: 100, eventsPerStream: 100, latency: false },
  { name: 'append.batch100.1w', writers: 1, batchSize: 100, eventsPerStream: 100, latency: false },
];

const ORDER: ContenderName[] = [
  'ours',
  'emmett',
  'raw_insert',
  ...(process.env.BENCH_PROTOTYPE === '1' ? (['ours_prototype'] as const) : []),
];
const BASELINES = ['emmett', 'raw_insert'] as const;

/**
 * Appends of 1 event per transaction (1 and 8 writers) and of 100-event batches, for our store,
 * Emmett and a raw INSERT, each in its own worker process, on the same cluster. Every contender
 * warms up, then the contenders take turns in short windows, the order reversed every round
 * (ABC CBA ABC ...), so that the shared machine's changing load does not favour one of them.
 */
export async function runAppendSuite(targets: AppendTargets): Promise<void> {
  const workers = new Map<ContenderName, Worker>();
  try {
    for (const contender of ORDER) {
      const worker = startWorker(new URL('./append-worker.ts', import.meta.url), `append-${contender}`);
      workers.set(contender, worker);
      const target = contender === 'emmett' ? targets.emmett : targets.ours;
      await worker.call('init', { contender, target } satisfies WorkerInit);
    }
    for (const spec of SCENARIOS) await runScenario(spec, workers);
  } finally {
    await Promise.all([...workers.values()].map((w) => w.stop()));
  }
}

async function runScenario(spec: ScenarioSpec, workers: Map<ContenderName, Worker>): Promise<void> {
  const { warmupMs, rampMs, windowMs, reps } = config.append;
  for (const contender of ORDER) {
    const scenario: AppendScenario = { ...spec, runId: randomBytes(4).toString('hex') };
    await workers.get(contender)!.call('prepare', { scenario, warmupMs });
  }
  const windows = new Map<ContenderName, WindowFigures[]>(ORDER.map((c) => [c, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const contender of rep % 2 === 0 ? ORDER : [...ORDER].reverse()) {
      const figures = await workers
        .get(contender)!
        .call<WindowFigures>('measure', { rampMs, durationMs: windowMs });
      windows.get(contender)!.push(figures);
    }
  }
  await Promise.all(ORDER.map((c) => workers.get(c)!.call('finish')));

  const sum = (c: ContenderName, f: (w: WindowFigures) => number): number =>
    windows.get(c)!.reduce((total, w) => total + f(w), 0);
  const rate = (c: ContenderName): number => sum(c, (w) => w.events) / sum(c, (w) => w.seconds);
  const cpuUsPerEvent = (c: ContenderName) => ({
    client: Math.round((sum(c, (w) => w.clientCpuSeconds) / sum(c, (w) => w.events)) * 1e6),
    postgres: Math.round((sum(c, (w) => w.postgresCpuSeconds) / sum(c, (w) => w.events)) * 1e6),
  });
  const params = (c: ContenderName) => ({
    writers: spec.writers,
    eventsPerAppend: spec.batchSize,
    seconds: sum(c, (w) => w.seconds),
    windows: reps,
    cpuUsPerEvent: cpuUsPerEvent(c),
  });
  for (const c of ORDER) {
    const each = windows.get(c)!.map((w) => Math.round(w.events / w.seconds));
    log(
      `${spec.name} ${c}: ${rate(c).toFixed(0)} events/s (windows: ${each.join(', ')}), CPU µs/event ${JSON.stringify(cpuUsPerEvent(c))}`,
    );
  }
  for (const c of BASELINES)
    emit({ name: `${spec.name}.${c}`, value: rate(c), unit: 'events/s', params: params(c) });
  emitComparisons(
    { name: spec.name, value: rate('ours'), unit: 'events/s', params: params('ours') },
    { emmett: rate('emmett'), raw_insert: rate('raw_insert') },
  );
  if (windows.has('ours_prototype'))
    emitComparisons(
      {
        name: `${spec.name}.prototype`,
        value: rate('ours_prototype'),
        unit: 'events/s',
        params: params('ours_prototype'),
      },
      { ours: rate('ours'), emmett: rate('emmett'), raw_insert: rate('raw_insert') },
    );
  if (!spec.latency) return;
  for (const p of [50, 99]) {
    const latency = (c: ContenderName): number =>
      percentile(
        windows.get(c)!.flatMap((w) => w.latenciesMs),
        p,
      );
    const name = `${spec.name}.latency.p${p}`;
    const lparams = (c: ContenderName) => ({
      writers: spec.writers,
      samples: windows.get(c)!.reduce((n, w) => n + w.latenciesMs.length, 0),
    });
    for (const c of BASELINES)
      emit({ name: `${name}.${c}`, value: latency(c), unit: 'ms', params: lparams(c) });
    emitComparisons(
      { name, value: latency('ours'), unit: 'ms', params: lparams('ours') },
      { emmett: latency('emmett'), raw_insert: latency('raw_insert') },
    );
  }
}
