import { randomUUID } from 'node:crypto';
import { queryEntries } from '@medspa/audit';
import { createPool } from '@medspa/db';
import { onCleanup } from '../lib/cleanup.js';
import { emit, log } from '../lib/emit.js';
import { adminQuery } from '../lib/postgres.js';
import { summarizeLatencies } from '../lib/stats.js';
import { config } from './config.js';

/**
 * Fills `audit.entries` with `queryEntries` rows by bulk SQL (INSERT … SELECT over
 * generate_series, as the superuser, a chunk per statement): the rows, sizes and indexes of real
 * entries (~650 canonical bytes of JSON with the details the query reads), but NOT a verifiable
 * chain (entry_hash = sha256(canonical), prev_hash zeros): hashing 5M entries one after another in
 * SQL would take longer than the benchmark, and the query figure reads only columns and indexes.
 * `audit.verify` measures real chained entries.
 */
async function loadEntries(adminUrl: string, tenants: string[]): Promise<void> {
  const perTenant = Math.floor(config.queryEntries / tenants.length);
  const patients = config.patientsPerTenant;
  const started = performance.now();
  for (const [i, tenant] of tenants.entries()) {
    await adminQuery(
      adminUrl,
      `INSERT INTO audit.entries (tenant_id, seq, appended_at, message_id, event_type, occurred_at, actor_id,
         actor_role, subject_id, action, correlation_id, source_topic, source_partition, source_offset,
         canonical, prev_hash, entry_hash)
       SELECT $1::uuid, g, now(), gen_random_uuid(), 'medspa.common.v1.AccessEvent',
         timestamptz '2020-01-01' + g * interval '37 seconds', 'user-' || (g % 40), 'provider',
         'patient-' || (g % $3), 'read', gen_random_uuid()::text, 'medspa.patient-record.events.v1', NULL, NULL,
         convert_to(c.doc, 'UTF8'), decode(repeat('00', 32), 'hex'), sha256(convert_to(c.doc, 'UTF8'))
       FROM generate_series(1, $2::int) g,
       LATERAL (SELECT json_build_object('action', 'read', 'actor', json_build_object('id', 'user-' || (g % 40), 'role', 'provider'),
         'causationId', gen_random_uuid(), 'correlationId', gen_random_uuid(),
         'details', json_build_object('breakGlass', false, 'outcome', 'allowed', 'purpose', 'treatment',
           'requestId', gen_random_uuid(), 'resourceId', gen_random_uuid(), 'resourceType', 'encounter'),
         'eventType', 'medspa.common.v1.AccessEvent', 'format', 'medspa.audit.entry.v1', 'messageId', gen_random_uuid(),
         'occurredAt', g, 'payload', repeat('A', 60), 'source', json_build_object('topic', 'medspa.patient-record.events.v1'),
         'subjectId', 'patient-' || (g % $3), 'tenantId', $1::uuid)::text AS doc) c`,
      [tenant, perTenant, patients],
    );
    await adminQuery(
      adminUrl,
      `INSERT INTO audit.chains (tenant_id, head_seq, head_hash) VALUES ($1, $2, decode(repeat('00', 32), 'hex'))`,
      [tenant, perTenant],
    );
    if ((i + 1) % 10 === 0)
      log(
        `query: ${(i + 1) * perTenant} entries loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
  }
  await adminQuery(adminUrl, 'ANALYZE audit.entries');
}

/**
 * `audit.query.p99`: `queryEntries` (what QueryEntries runs) for one patient of one clinic, first
 * page of 100, newest first, over a log of `queryEntries` entries; one query at a time.
 */
export async function runQuery(adminUrl: string, appUrl: string): Promise<void> {
  const tenants = Array.from({ length: config.queryTenants }, () => randomUUID());
  log(`query: loading ${config.queryEntries} entries by bulk SQL`);
  await loadEntries(adminUrl, tenants);
  const size = await adminQuery<{ bytes: string }>(
    adminUrl,
    `SELECT sum(pg_total_relation_size(inhrelid))::text AS bytes FROM pg_inherits WHERE inhparent = 'audit.entries'::regclass`,
  );
  const pool = createPool(appUrl, { applicationName: 'bench-audit-query', max: 2 });
  onCleanup(() => pool.end());
  const pick = () => ({
    tenant: tenants[Math.floor(Math.random() * tenants.length)]!,
    patient: `patient-${Math.floor(Math.random() * config.patientsPerTenant)}`,
  });
  for (let i = 0; i < 50; i++) {
    const { tenant, patient } = pick();
    await queryEntries(pool, tenant, { subjectId: patient }, { size: config.queryPageSize });
  }
  const samples = new Float64Array(config.queries);
  let rows = 0;
  for (let i = 0; i < config.queries; i++) {
    const { tenant, patient } = pick();
    const started = performance.now();
    const page = await queryEntries(pool, tenant, { subjectId: patient }, { size: config.queryPageSize });
    samples[i] = performance.now() - started;
    rows += page.entries.length;
  }
  const latency = summarizeLatencies(samples);
  const params = {
    entries: config.queryEntries,
    tenants: tenants.length,
    patientsPerTenant: config.patientsPerTenant,
    pageSize: config.queryPageSize,
    rowsPerQuery: Math.round(rows / config.queries),
    queries: config.queries,
    tableAndIndexesMB: Math.round(Number(size[0]?.bytes ?? 0) / 1e6),
    loadedBy: 'bulk SQL (not a verifiable chain)',
  };
  emit({ name: 'audit.query.p99', value: latency.p99, unit: 'ms', params: { ...params, target: '< 50' } });
  emit({ name: 'audit.query.p50', value: latency.p50, unit: 'ms', params });
}
