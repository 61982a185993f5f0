import { CIPHERTEXT_INVALID, isKeyShredded, type FieldCipher, type SubjectCipher } from '@medspa/crypto';
import { quoteIdent, type Queryable } from '@medspa/db';
import { AppError } from '@medspa/errors';
import type { RecordedEvent } from '@medspa/eventstore';
import { defineProjection, type Projection } from '@medspa/projections';
import { encounterDecider, type EncounterEvent, type EncounterState } from '../../domain/index.js';
import { openChart, sealChart } from './sealed-chart.js';

export interface EncounterChartsDeps {
  schema: string;
  fields: Pick<FieldCipher, 'forSubject'>;
}

interface Folded {
  patientId: string;
  version: number;
  state: EncounterState;
}

/**
 * Each encounter's folded chart, sealed (sealed-chart.ts), for opening a chart without replaying
 * and decrypting every event. Events arrive decrypted (the store's codec); a run of them is
 * folded per encounter onto the stored chart and written back in one statement. A shredded
 * patient's encounters lose their row instead (the shred already purged it; a replay must not
 * bring it back), and so does an encounter whose events do not follow on from the stored
 * version: readers then fold its whole stream, never a chart with a hole in it.
 */
export function encounterChartsProjection(deps: EncounterChartsDeps): Projection<EncounterEvent> {
  const s = quoteIdent(deps.schema);

  async function stored(db: Queryable, tenantId: string, encounterIds: string[]) {
    const { rows } = await db.query<{ encounter_id: string; version: number; chart_ct: string }>(
      `SELECT encounter_id::text, version, chart_ct FROM ${s}.encounter_charts
        WHERE tenant_id = $1 AND encounter_id = ANY($2::uuid[])`,
      [tenantId, encounterIds],
    );
    return new Map(rows.map((r) => [r.encounter_id, r]));
  }

  async function cipherOf(tenantId: string, patientId: string): Promise<SubjectCipher | undefined> {
    try {
      return await deps.fields.forSubject(tenantId, patientId);
    } catch (e) {
      if (isKeyShredded(e)) return undefined;
      throw e;
    }
  }

  async function applyBatch(db: Queryable, events: readonly RecordedEvent<EncounterEvent>[]) {
    const tenantId = events[0]?.metadata.tenantId;
    if (tenantId === undefined) return;
    const byEncounter = new Map<string, RecordedEvent<EncounterEvent>[]>();
    for (const e of events) {
      const run = byEncounter.get(e.data.encounterId);
      if (run === undefined) byEncounter.set(e.data.encounterId, [e]);
      else run.push(e);
    }
    const rows = await stored(db, tenantId, [...byEncounter.keys()]);
    const written: (Folded & { encounterId: string; sealed: string })[] = [];
    const dropped: string[] = [];
    for (const [encounterId, run] of byEncounter) {
      const { patientId } = run[0]!.data;
      const cipher = await cipherOf(tenantId, patientId);
      if (cipher === undefined) {
        dropped.push(encounterId);
        continue;
      }
      const row = rows.get(encounterId);
      const from = row === undefined ? initial(patientId) : opened(cipher, encounterId, patientId, row);
      const folded = from === undefined ? undefined : foldOnto(from, run);
      if (folded === undefined) dropped.push(encounterId);
      else if (folded.version !== (row?.version ?? 0) && folded.state.status !== 'not_opened') {
        written.push({
          ...folded,
          encounterId,
          sealed: sealChart(cipher, encounterId, folded.version, folded.state),
        });
      }
    }
    if (dropped.length > 0) {
      await db.query(
        `DELETE FROM ${s}.encounter_charts WHERE tenant_id = $1 AND encounter_id = ANY($2::uuid[])`,
        [tenantId, dropped],
      );
    }
    if (written.length === 0) return;
    await db.query(
      `INSERT INTO ${s}.encounter_charts (tenant_id, encounter_id, patient_id, version, chart_ct)
       SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::text[])
       ON CONFLICT (tenant_id, encounter_id) DO UPDATE SET version = EXCLUDED.version, chart_ct = EXCLUDED.chart_ct
        WHERE encounter_charts.version < EXCLUDED.version`,
      [
        tenantId,
        written.map((w) => w.encounterId),
        written.map((w) => w.patientId),
        written.map((w) => w.version),
        written.map((w) => w.sealed),
      ],
    );
  }

  return defineProjection<EncounterEvent>({
    name: 'encounter_charts',
    streamTypes: ['encounter'],
    tables: ['encounter_charts'],
    applyBatch,
  });
}

const initial = (patientId: string): Folded => ({
  patientId,
  version: 0,
  state: encounterDecider.initialState(),
});

/** The stored chart, or undefined when it no longer opens (e.g. sealed under a key version since retired). */
function opened(
  cipher: SubjectCipher,
  encounterId: string,
  patientId: string,
  row: { version: number; chart_ct: string },
): Folded | undefined {
  try {
    return {
      patientId,
      version: row.version,
      state: openChart(cipher, encounterId, row.version, row.chart_ct),
    };
  } catch (e) {
    if (e instanceof AppError && e.reason === CIPHERTEXT_INVALID) return undefined;
    throw e;
  }
}

/**
 * The events after `from.version` folded on, in stream order; those at or before it were folded
 * already (a replayed batch). Undefined when an event is missing in between.
 */
function foldOnto(from: Folded, events: readonly RecordedEvent<EncounterEvent>[]): Folded | undefined {
  let { state, version } = from;
  for (const e of events) {
    if (e.streamVersion <= version) continue;
    if (e.streamVersion !== version + 1) return undefined;
    state = encounterDecider.evolve(state, { type: e.type, data: e.data } as EncounterEvent);
    version = e.streamVersion;
  }
  return { patientId: from.patientId, version, state };
}
