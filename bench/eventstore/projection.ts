import { quoteIdent, tenantIsolationSql, type Pool } from '@medspa/db';
import type { EventStore, RecordedEvent } from '@medspa/eventstore';
import { createLogger } from '@medspa/observability';
import { createProjectionRunner, defineProjection, projectionsMigrationSql } from '@medspa/projections';
import { emit, log, stderrDestination } from '../lib/emit.js';
import { adminQuery } from '../lib/postgres.js';
import { microsPerItem, startCpuMeter } from '../lib/proc-cpu.js';
import { perSecond } from '../lib/stats.js';
import { timed } from '../lib/timing.js';
import type { AppointmentData, AppointmentEvent } from './payload.js';

const BOARD = 'appointment_board';

/** Migrations of the flow schema beyond the event store: checkpoints and the read model. */
export function projectionMigrations(schema: string) {
  const board = `${quoteIdent(schema)}.${quoteIdent(BOARD)}`;
  return [
    { id: '0002_projections', sql: projectionsMigrationSql(schema) },
    {
      id: '0003_appointment_board',
      sql: `
CREATE TABLE ${board} (
  tenant_id uuid NOT NULL,
  appointment_id uuid PRIMARY KEY,
  provider_id uuid NOT NULL,
  service_code text NOT NULL,
  starts_at timestamptz NOT NULL,
  status text NOT NULL,
  events integer NOT NULL,
  last_version bigint NOT NULL
);
CREATE INDEX appointment_board_by_provider ON ${board} (tenant_id, provider_id, starts_at);
${tenantIsolationSql(schema, BOARD)}`,
    },
  ];
}

const STATUS: Record<string, string> = {
  AppointmentBooked: 'booked',
  AppointmentConfirmed: 'confirmed',
  ReminderSent: 'confirmed',
  AppointmentRescheduled: 'rescheduled',
  PatientCheckedIn: 'checked_in',
  AppointmentCompleted: 'completed',
};

/**
 * A front-desk board of appointments (one row each), written the fast way the projection lib offers
 * for rebuilds: `applyBatch`, one upsert statement per tenant run, the run first folded per
 * appointment so each row is written once.
 */
function appointmentBoard(schema: string) {
  const board = `${quoteIdent(schema)}.${quoteIdent(BOARD)}`;
  return defineProjection<AppointmentEvent>({
    name: 'appointment_board',
    streamTypes: ['appointment'],
    tables: [BOARD],
    applyBatch: async (db, run) => {
      const latest = new Map<string, { event: RecordedEvent<AppointmentEvent>; count: number }>();
      for (const e of run)
        latest.set(e.streamId, { event: e, count: (latest.get(e.streamId)?.count ?? 0) + 1 });
      const rows = [...latest.values()];
      const data = (r: (typeof rows)[number]): AppointmentData => r.event.data;
      await db.query(
        `INSERT INTO ${board} AS b (tenant_id, appointment_id, provider_id, service_code, starts_at, status, events, last_version)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[], $7::int[], $8::bigint[])
         ON CONFLICT (appointment_id) DO UPDATE SET provider_id = EXCLUDED.provider_id,
           starts_at = EXCLUDED.starts_at, status = EXCLUDED.status, events = b.events + EXCLUDED.events,
           last_version = EXCLUDED.last_version`,
        [
          rows.map((r) => r.event.metadata.tenantId),
          rows.map((r) => data(r).appointmentId),
          rows.map((r) => data(r).providerId),
          rows.map((r) => data(r).serviceCode),
          rows.map((r) => data(r).startsAt),
          rows.map((r) => STATUS[r.event.type] ?? 'booked'),
          rows.map((r) => r.count),
          rows.map((r) => r.event.streamVersion),
        ],
      );
    },
  });
}

/**
 * Times the projection runner (`createProjectionRunner` → `start` → `catchUp`) building the board
 * from the start of the flow log to its head, with the runner's default batch size; checks that the
 * read model counts every event.
 */
export async function runProjectionCatchUp(opts: {
  pool: Pool;
  store: Pick<EventStore, 'schema' | 'readAll' | 'probeNews'>;
  adminUrl: string;
  events: number;
  /** The pool's backends, for CPU accounting. */
  postgres: () => number[];
}): Promise<void> {
  const logger = createLogger({
    service: 'bench-projections',
    level: 'warn',
    destination: stderrDestination,
  });
  const runner = createProjectionRunner({
    pool: opts.pool,
    store: opts.store,
    projections: [appointmentBoard(opts.store.schema)],
    logger,
  });
  const cpu = startCpuMeter({ postgres: opts.postgres });
  const { elapsedMs } = await timed(async () => {
    runner.start();
    await runner.catchUp({ timeoutMs: 240_000 });
  });
  const cpuUsPerEvent = microsPerItem(cpu(), opts.events);
  await runner.stop();
  const [counted] = await adminQuery<{ events: number }>(
    opts.adminUrl,
    `SELECT coalesce(sum(events), 0)::int AS events FROM ${quoteIdent(opts.store.schema)}.${quoteIdent(BOARD)}`,
  );
  if (counted?.events !== opts.events)
    throw new Error(`board counted ${counted?.events} of ${opts.events} events`);
  log(`projection: ${opts.events} events in ${(elapsedMs / 1000).toFixed(1)} s`);
  emit({
    name: 'projection.catchup',
    value: perSecond(opts.events, elapsedMs),
    unit: 'events/s',
    params: { events: opts.events, batchSize: 500, seconds: elapsedMs / 1000, cpuUsPerEvent },
  });
}
