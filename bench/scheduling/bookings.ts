import pg from 'pg';
import type { BookAppointmentRequest } from '@medspa/contracts/medspa.scheduling.v1';
import { log } from '../lib/emit.js';
import { descendantPids, microsPerItem, startCpuMeter } from '../lib/proc-cpu.js';
import { summarizeLatencies, type LatencySummary } from '../lib/stats.js';
import type { Scheduling } from './clinic.js';
import { config } from './config.js';

export interface BookingRun {
  perSecond: number;
  latency: LatencySummary;
  lag: LatencySummary;
  failed: number;
  /** CPU µs per booking: this client process (`node`), the service process, the Postgres cluster. */
  cpuUsPerBooking: Record<string, number>;
}

/**
 * Books the plan through `clients.length` concurrent gRPC clients (each one call at a time), and
 * follows every n-th booking to its row in the day-calendar read model: the lag is from the booking
 * call's reply (its commit is before) to the first poll that sees the row, polled every 2 ms as the
 * superuser on a connection of its own.
 */
export async function runBookings(
  clients: Scheduling[],
  plan: BookAppointmentRequest[],
  adminUrl: string,
  tenantId: string,
): Promise<BookingRun> {
  const watcher = new pg.Client({ connectionString: adminUrl });
  await watcher.connect();
  const pending = new Map<string, number>();
  const lags: number[] = [];
  let watching = true;
  const watch = (async () => {
    while (watching || pending.size > 0) {
      if (pending.size > 0) {
        const ids = [...pending.keys()];
        const seen = await watcher.query<{ appointment_id: string }>(
          // By the table's key, so that the watching costs the server little of what it measures.
          'SELECT appointment_id FROM scheduling.appointments WHERE tenant_id = $1 AND appointment_id = ANY($2::uuid[])',
          [tenantId, ids],
        );
        const at = performance.now();
        for (const r of seen.rows) {
          lags.push(at - pending.get(r.appointment_id)!);
          pending.delete(r.appointment_id);
        }
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();

  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const reasons = new Map<string, number>();
  const cpu = startCpuMeter({
    service: () => descendantPids('node'),
    postgres: () => descendantPids('postgres'),
  });
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = next++; i < plan.length; i = next++) {
        const t0 = performance.now();
        try {
          const { appointment } = await client.bookAppointment(plan[i]!);
          const t1 = performance.now();
          latencies.push(t1 - t0);
          if (i % config.lagSampleEvery === 0) pending.set(appointment!.appointmentId, t1);
        } catch (e) {
          failed++;
          const reason = (e as { reason?: string }).reason ?? String(e);
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
        if ((i + 1) % 1000 === 0) log(`booked ${i + 1} / ${plan.length}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuUsPerBooking = microsPerItem(cpu(), latencies.length);
  watching = false;
  await watch;
  await watcher.end();
  if (failed > 0) log(`bookings refused: ${JSON.stringify(Object.fromEntries(reasons))}`);
  return {
    perSecond: latencies.length / seconds,
    latency: summarizeLatencies(latencies),
    lag: summarizeLatencies(lags),
    failed,
    cpuUsPerBooking,
  };
}
