import { createPool, quoteIdent, type Pool } from '@medspa/db';
import { createEventStore, START, type RecordedEvent } from '@medspa/eventstore';
import { emit, emitComparisons, log } from '../lib/emit.js';
import { adminQuery } from '../lib/postgres.js';
import { microsPerItem, startCpuMeter, trackBackends } from '../lib/proc-cpu.js';
import { perSecond } from '../lib/stats.js';
import { timed } from '../lib/timing.js';
import { config } from './config.js';
import { loadThroughStore } from './load.js';
import type { AppointmentData } from './payload.js';

/** What a replay folds the log into: enough work that every event's decoded data is touched. */
interface Tally {
  events: number;
  byType: Map<string, number>;
  revenueMinor: number;
}

function fold(tally: Tally, events: RecordedEvent[]): void {
  for (const e of events) {
    tally.events += 1;
    tally.byType.set(e.type, (tally.byType.get(e.type) ?? 0) + 1);
    tally.revenueMinor += (e.data as AppointmentData).price.amountMinor;
  }
}

const newTally = (): Tally => ({ events: 0, byType: new Map(), revenueMinor: 0 });

/**
 * Loads `config.replayEvents` events through the store (100-event appends, ten per transaction)
 * into a schema of their own, then times reading the whole log with `readAll` pages (gap-safe
 * query, JSON decoding, upcasting hook) from the start to the end, folding every event. A plain
 * keyset SELECT of the same columns by global_position (no gap-safe snapshot check) is reported as
 * the floor.
 */
export async function runReplay(target: { url: string; schema: string; adminUrl: string }): Promise<void> {
  const pool = createPool(target.url, { applicationName: 'bench-replay', max: config.loadWriters });
  const postgres = trackBackends(pool);
  try {
    const store = createEventStore(pool, { schema: target.schema });
    await loadThroughStore(pool, store, {
      total: config.replayEvents,
      eventsPerStream: 100,
      streamsPerTransaction: 10,
      writers: config.loadWriters,
      label: 'replay-load',
    });
    // Sets hint bits and the visibility map once, as autovacuum would have on a real log, so that
    // neither reader below pays for the load's aftermath.
    await adminQuery(target.adminUrl, `VACUUM ANALYZE ${quoteIdent(target.schema)}.events`);

    const readAllPage = async (after: typeof START, tally: Tally) => {
      const page = await store.readAll(after, { limit: config.replayPageSize });
      fold(tally, page.events);
      return page;
    };
    // Warm-up: the first pages settle the JIT and the connection; the window then reads all of it.
    let warm = START;
    for (let i = 0; i < 20; i++) warm = (await readAllPage(warm, newTally())).checkpoint;

    const tally = newTally();
    const cpu = startCpuMeter({ postgres });
    const { elapsedMs } = await timed(async () => {
      for (let after = START; ;) {
        const page = await readAllPage(after, tally);
        if (page.events.length === 0) return;
        after = page.checkpoint;
      }
    });
    const cpuUsPerEvent = microsPerItem(cpu(), tally.events);
    if (tally.events !== config.replayEvents) throw new Error(`replay read ${tally.events} events`);
    const rate = perSecond(tally.events, elapsedMs);
    log(`replay: ${tally.events} events in ${(elapsedMs / 1000).toFixed(1)} s`);
    const floor = await rawKeysetReplay(pool, target.schema, postgres);
    const params = {
      events: tally.events,
      pageSize: config.replayPageSize,
      seconds: elapsedMs / 1000,
      cpuUsPerEvent,
    };
    emit({
      name: 'replay.raw_select',
      value: floor.rate,
      unit: 'events/s',
      params: { events: tally.events, cpuUsPerEvent: floor.cpuUsPerEvent },
    });
    emitComparisons({ name: 'replay', value: rate, unit: 'events/s', params }, { raw_select: floor.rate });
  } finally {
    await pool.end();
  }
}

/** The same pages by a plain keyset SELECT on global_position, parsed by the same driver. */
async function rawKeysetReplay(
  pool: Pool,
  schema: string,
  postgres: () => number[],
): Promise<{ rate: number; cpuUsPerEvent: ReturnType<typeof microsPerItem> }> {
  const sql = `SELECT event_id, event_type, schema_version, data, metadata, stream_id, stream_type,
      stream_version, global_position, transaction_id::text AS transaction_id, recorded_at
    FROM ${quoteIdent(schema)}.events WHERE global_position > $1 ORDER BY global_position LIMIT $2`;
  const tally = newTally();
  const cpu = startCpuMeter({ postgres });
  const { elapsedMs } = await timed(async () => {
    for (let after = 0; ;) {
      const res = await pool.query<{ global_position: number; event_type: string; data: AppointmentData }>({
        name: 'bench.raw-replay',
        text: sql,
        values: [after, config.replayPageSize],
      });
      const last = res.rows.at(-1);
      if (last === undefined) return;
      for (const r of res.rows) {
        tally.events += 1;
        tally.byType.set(r.event_type, (tally.byType.get(r.event_type) ?? 0) + 1);
        tally.revenueMinor += r.data.price.amountMinor;
      }
      after = last.global_position;
    }
  });
  return { rate: perSecond(tally.events, elapsedMs), cpuUsPerEvent: microsPerItem(cpu(), tally.events) };
}
