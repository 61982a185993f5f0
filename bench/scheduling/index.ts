import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { SchedulingServiceClient } from '@medspa/contracts/medspa.scheduling.v1';
import { migrate, provisionService } from '@medspa/db';
import { createGrpcClient } from '@medspa/grpc';
import { migrations } from '@medspa/scheduling/app';
import { defineBenchmark } from '../lib/benchmark.js';
import { onCleanup } from '../lib/cleanup.js';
import { emit, log } from '../lib/emit.js';
import { adminQuery, databaseUrl, logTopStatements, startBenchPostgres } from '../lib/postgres.js';
import { startWorker } from '../lib/workers.js';
import { runBookings } from './bookings.js';
import { bookingPlan, setUpClinic, type Scheduling } from './clinic.js';
import { config } from './config.js';
import { runSearches } from './searches.js';
import { createBenchIssuer } from './tokens.js';

export default defineBenchmark({
  description: 'scheduling over gRPC: booking throughput and p99, projection lag, availability search p99',
  async run() {
    log(
      `machine: ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    // BENCH_PG_STAT_STATEMENTS=1 prints where Postgres spent its time after the bookings.
    const statements = process.env.BENCH_PG_STAT_STATEMENTS === '1';
    const postgres = await startBenchPostgres(statements ? { preload: ['pg_stat_statements'] } : {});
    await adminQuery(postgres.url, 'CREATE DATABASE scheduling_bench');
    const adminUrl = databaseUrl(postgres.url, 'scheduling_bench');
    const secret = randomBytes(12).toString('hex');
    const roles = await provisionService(adminUrl, 'scheduling', {
      ownerPassword: secret,
      appPassword: secret,
    });
    await migrate(roles.ownerUrl, roles.schema, migrations(roles.schema));

    const issuer = await createBenchIssuer();
    const worker = startWorker(new URL('./service-worker.ts', import.meta.url), 'scheduling');
    onCleanup(() => worker.stop());
    const { address } = await worker.call<{ address: string }>('start', {
      databaseUrl: roles.appUrl,
      jwk: issuer.publicJwk,
    });
    const tenantId = randomUUID();
    const clientAs = (role: 'owner' | 'front_desk'): Scheduling => {
      const client = createGrpcClient(SchedulingServiceClient, address, {
        getToken: issuer.tokenFor(tenantId, role),
        deadlineMs: 60_000,
      });
      onCleanup(() => client.close());
      return client;
    };

    const clinic = await setUpClinic(clientAs('owner'));
    await worker.call('catchUp');
    log(
      `clinic set up: ${config.providers} providers, ${config.rooms} rooms; booking ${config.appointments}`,
    );

    const desks = Array.from({ length: config.clients }, () => clientAs('front_desk'));
    const booked = await runBookings(desks, bookingPlan(clinic, config.appointments), adminUrl, tenantId);
    const params = {
      clients: config.clients,
      appointments: config.appointments,
      failed: booked.failed,
      cpuUsPerBooking: booked.cpuUsPerBooking,
    };
    emit({
      name: 'scheduling.booking.throughput',
      value: booked.perSecond,
      unit: 'bookings/s',
      params: { ...params, target: '>= 500' },
    });
    if (statements) {
      await logTopStatements(adminUrl, 25);
      await adminQuery(adminUrl, 'SELECT pg_stat_statements_reset()');
    }
    emit({ name: 'scheduling.booking.p99', value: booked.latency.p99, unit: 'ms', params });
    emit({ name: 'scheduling.booking.p50', value: booked.latency.p50, unit: 'ms', params });
    emit({
      name: 'scheduling.projection.lag.p99',
      value: booked.lag.p99,
      unit: 'ms',
      params: { samples: booked.lag.count, p50: booked.lag.p50, max: booked.lag.max, target: '< 100' },
    });

    await worker.call('catchUp');
    const search = await runSearches(desks[0]!, clinic);
    if (statements) await logTopStatements(adminUrl, 10);
    const searchParams = {
      days: config.days,
      providers: config.providers,
      rooms: config.rooms,
      appointments: config.appointments,
      pageSize: config.searchPageSize,
      slotsReturned: search.slots,
      searches: search.latency.count,
      cpuUsPerSearch: search.cpuUsPerSearch,
    };
    emit({
      name: 'scheduling.availability.p99',
      value: search.latency.p99,
      unit: 'ms',
      params: { ...searchParams, target: '< 50' },
    });
    emit({
      name: 'scheduling.availability.p50',
      value: search.latency.p50,
      unit: 'ms',
      params: searchParams,
    });
  },
});
