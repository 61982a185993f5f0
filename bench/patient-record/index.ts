import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createPool, migrate, provisionService, quoteIdent, withTransaction } from '@medspa/db';
import { createEventStore } from '@medspa/eventstore';
import { createProjectionRunner } from '@medspa/projections';
import {
  createRecordStore,
  ENCOUNTER_STREAM,
  encounterStreamId,
  getPatient,
  listEncounters,
  migrations,
  patientRecordOutbox,
  projectionsOf,
  searchPatients,
  type AppDeps,
  type RequestContext,
} from '@medspa/patient-record/app';
import { defineBenchmark } from '../lib/benchmark.js';
import { onCleanup } from '../lib/cleanup.js';
import { emit, log } from '../lib/emit.js';
import { adminQuery, databaseUrl, startBenchPostgres } from '../lib/postgres.js';
import { microsPerItem, trackBackends } from '../lib/proc-cpu.js';
import { config } from './config.js';
import { loadPatients } from './load.js';
import { costMeter } from './cost.js';
import { latencies } from './measure.js';
import { encryptionOverhead } from './overhead.js';
import { randomSearch } from './people.js';
import { metadataFor, registration, visit } from './records.js';

const contextAs = (tenantId: string, role: 'front_desk' | 'provider'): RequestContext => ({
  principal: { userId: randomUUID(), tenantId, role, sessionId: randomUUID(), isService: false },
  requestId: randomUUID(),
});

// Roles are cluster-wide: both databases must provision them with the same password.
const secret = randomBytes(12).toString('hex');

async function serviceDatabase(postgresUrl: string, database: string) {
  await adminQuery(postgresUrl, `CREATE DATABASE ${database}`);
  const roles = await provisionService(databaseUrl(postgresUrl, database), 'patient-record', {
    ownerPassword: secret,
    appPassword: secret,
  });
  await migrate(roles.ownerUrl, roles.schema, migrations(roles.schema));
  return roles;
}

export default defineBenchmark({
  description:
    'patient-record: name-prefix search over 100k encrypted patients, opening a 50-encounter chart, encryption overhead',
  async run() {
    log(
      `machine: ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const postgres = await startBenchPostgres();
    const roles = await serviceDatabase(postgres.url, 'patient_record_bench');
    const plainRoles = await serviceDatabase(postgres.url, 'patient_record_plain');
    const keyDir = await mkdtemp(path.join(tmpdir(), 'medspa-bench-kms-'));
    const pool = createPool(roles.appUrl, { applicationName: 'bench', max: 12 });
    onCleanup(() => pool.end());
    const benchBackends = trackBackends(pool);
    const cost = costMeter([pool]);
    onCleanup(() => cost.stop());
    const crypto = createRecordStore(pool, roles.schema, { kmsKeyDir: keyDir, kekId: 'patient-record-kek' });
    const deps: AppDeps = {
      pool,
      schema: roles.schema,
      ...crypto,
      topic: 'medspa.patient-record.events.v1',
      now: () => new Date(),
    };
    const tenantId = randomUUID();
    await crypto.keyring.provisionTenant(tenantId);

    // 1. Load: registrations through the store's append (a store of its own whose connections do
    // not wait for the WAL flush: loading is set-up, not a figure), then the directory projection.
    const loadPool = createPool(`${roles.appUrl}?options=-c%20synchronous_commit%3Doff`, {
      applicationName: 'bench-load',
      max: 12,
    });
    const loader = createRecordStore(loadPool, roles.schema, {
      kmsKeyDir: keyDir,
      kekId: 'patient-record-kek',
    });
    const loadRate = await loadPatients(
      { ...loader, pool: loadPool },
      tenantId,
      randomUUID(),
      config.patients,
    );
    await loadPool.end();
    log(`loaded ${config.patients} encrypted patients at ${Math.round(loadRate)}/s; projecting`);
    // The projections run on a pool of their own, so that the statements and backend CPU counted
    // for an operation are the operation's alone (the runner's polling still shares this process).
    const projectionPool = createPool(roles.appUrl, { applicationName: 'bench-projections', max: 6 });
    onCleanup(() => projectionPool.end());
    const runner = createProjectionRunner({
      pool: projectionPool,
      store: crypto.store,
      projections: projectionsOf(deps),
    });
    const projecting = Date.now();
    runner.start();
    onCleanup(() => runner.stop());
    await runner.catchUp({ timeoutMs: 60 * 60_000 });
    const projectSeconds = (Date.now() - projecting) / 1000;
    log(`projected in ${projectSeconds.toFixed(1)} s`);
    // A clinic's directory is searched at steady state, not in the minute after 100,000 rows were
    // bulk-loaded: statistics current and the visibility map set (what autovacuum does in time, and
    // would otherwise do while the searches are timed), the load's dirty pages flushed.
    const benchDb = databaseUrl(postgres.url, 'patient_record_bench');
    const s = quoteIdent(roles.schema);
    await adminQuery(benchDb, `VACUUM (ANALYZE) ${s}.patient_search_tokens, ${s}.patient_directory`);
    await adminQuery(benchDb, 'CHECKPOINT');

    // 2. Name-prefix search, as the front desk types it.
    const desk = contextAs(tenantId, 'front_desk');
    let found = 0;
    const searchCost = cost.start();
    const search = await latencies(config.searches, config.searchWarmup, async () => {
      const r = await searchPatients(deps, desk, {
        namePrefix: randomSearch(),
        phone: '',
        dateOfBirth: '',
        pageSize: 20,
        pageToken: '',
      });
      found += r.patients.length;
    });
    const searchParams = {
      ...searchCost(config.searches + config.searchWarmup),
      patients: config.patients,
      searches: search.count,
      pageSize: 20,
      meanResults: Math.round((found / (search.count + config.searchWarmup)) * 10) / 10,
      p50: search.p50,
      max: search.max,
      loadRate: Math.round(loadRate),
      projectSeconds: Math.round(projectSeconds),
      target: '< 20',
    };
    emit({ name: 'patient.search.p99', value: search.p99, unit: 'ms', params: searchParams });

    // 3. Opening a chart of 50 signed encounters: the patient header and every encounter, decrypted.
    const { patientId, events } = registration();
    const providerId = randomUUID();
    await crypto.store.append(
      `patient-${patientId}`,
      'patient',
      'no_stream',
      events,
      metadataFor(tenantId, providerId, 'front_desk'),
    );
    await withTransaction(pool, async (db) => {
      for (let i = 0; i < config.chartEncounters; i++) {
        const steps = visit(patientId, providerId, true).flat();
        const encounterId = (steps[0]!.data as { encounterId: string }).encounterId;
        const meta = metadataFor(tenantId, providerId, 'provider');
        await crypto.store.append(
          encounterStreamId(encounterId),
          ENCOUNTER_STREAM,
          'no_stream',
          steps,
          meta,
          { db },
        );
      }
    });
    await runner.catchUp({ timeoutMs: 60_000 });
    const clinician = contextAs(tenantId, 'provider');
    let encountersSeen = 0;
    const chartCost = cost.start();
    const chart = await latencies(config.chartOpens, config.chartWarmup, async () => {
      encountersSeen = (await listEncounters(deps, clinician, patientId)).length;
    });
    const chartOpenCost = chartCost(config.chartOpens + config.chartWarmup);
    // With the patient header (GetPatient) first, as a tablet opening the chart cold does.
    const withHeader = await latencies(config.chartOpens, config.chartWarmup, async () => {
      await getPatient(deps, clinician, patientId);
      await listEncounters(deps, clinician, patientId);
    });
    emit({
      name: 'chart.open.p99',
      value: chart.p99,
      unit: 'ms',
      params: {
        ...chartOpenCost,
        withHeaderP99: withHeader.p99,
        withHeaderP50: withHeader.p50,
        encounters: encountersSeen,
        eventsPerEncounter: 5,
        opens: chart.count,
        p50: chart.p50,
        max: chart.max,
        target: '< 25',
      },
    });

    await runner.stop();

    // 4. Encryption overhead: the same appends through the encrypted store and a plain one.
    const plainPool = createPool(plainRoles.appUrl, { applicationName: 'bench-plain', max: 4 });
    onCleanup(() => plainPool.end());
    const plainBackends = trackBackends(plainPool);
    const plain = createEventStore(plainPool, { schema: plainRoles.schema, toOutbox: patientRecordOutbox() });
    const totals = await encryptionOverhead(
      { encrypted: crypto.store, plain },
      { encrypted: benchBackends, plain: plainBackends },
    );
    const perEvent = (ms: number) => Math.round((ms / totals.events) * 1000);
    emit({
      name: 'encryption.overhead',
      value: totals.encrypted / totals.plain,
      unit: 'ratio',
      params: {
        events: totals.events,
        rounds: config.overheadRounds,
        encryptedUsPerEvent: perEvent(totals.encrypted),
        plainUsPerEvent: perEvent(totals.plain),
        encryptedCpuUsPerEvent: microsPerItem(totals.cpu.encrypted, totals.events),
        plainCpuUsPerEvent: microsPerItem(totals.cpu.plain, totals.events),
        target: '< 1.3',
      },
    });
  },
});
