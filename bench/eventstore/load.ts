import { withTransaction, type Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';
import { log } from '../lib/emit.js';
import { perSecond } from '../lib/stats.js';
import { timed } from '../lib/timing.js';
import { appointmentBatch, appointmentStream } from './payload.js';

export interface LoadPlan {
  total: number;
  /** Events per stream, appended in one `append` (the store's batch path: one `unnest` statement). */
  eventsPerStream: number;
  /** Streams appended per transaction (`append` with `db`), so loading is not bound by commit flushes. */
  streamsPerTransaction: number;
  writers: number;
  label: string;
}

/**
 * Fills a log through the store's public `append` (so outbox rows are written too when the store
 * has a mapper), `writers` transactions in flight. Set-up only: the rate is logged, not reported.
 */
export async function loadThroughStore(
  pool: Pool,
  store: Pick<EventStore, 'append'>,
  plan: LoadPlan,
): Promise<void> {
  const streams = Math.ceil(plan.total / plan.eventsPerStream);
  const transactions = Math.ceil(streams / plan.streamsPerTransaction);
  let next = 0;
  let loaded = 0;
  let lastReport = Date.now();
  async function writer(w: number): Promise<void> {
    for (let tx = next++; tx < transactions; tx = next++) {
      const first = tx * plan.streamsPerTransaction;
      const last = Math.min(streams, first + plan.streamsPerTransaction);
      await withTransaction(pool, async (client) => {
        for (let i = first; i < last; i++) {
          const stream = appointmentStream(plan.label, w, i);
          const { events, metadata } = appointmentBatch(stream, 1, plan.eventsPerStream);
          await store.append(stream.streamId, 'appointment', 0, events, metadata, { db: client });
        }
      });
      loaded += (last - first) * plan.eventsPerStream;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        log(`${plan.label}: ${loaded} / ${streams * plan.eventsPerStream} events loaded`);
      }
    }
  }
  const { elapsedMs } = await timed(() =>
    Promise.all(Array.from({ length: plan.writers }, (_, w) => writer(w))),
  );
  log(
    `${plan.label}: loaded ${loaded} events in ${(elapsedMs / 1000).toFixed(1)} s ` +
      `(${perSecond(loaded, elapsedMs).toFixed(0)} events/s; ${plan.eventsPerStream} per stream, ` +
      `${plan.streamsPerTransaction} streams per transaction, ${plan.writers} writers)`,
  );
}
