import type { SubjectCipher } from '@medspa/crypto';
import { errors } from '@medspa/errors';
import { encounterDecider, type EncounterEvent, type EncounterState } from '../domain/index.js';
import { authorizeRead, recordAllowed } from './access.js';
import type { AppDeps } from './deps.js';
import { assertNotShredded } from './patient-queries.js';
import type { RequestContext } from './request-context.js';
import { chartOf, type StoredEncounter } from '../projections/encounter-charts/queries.js';
import { openChart } from '../projections/encounter-charts/sealed-chart.js';
import { encounterStreamId, patientStreamId, requireStreamOf, requireUuid } from './streams.js';

export type OpenedEncounter = Exclude<EncounterState, { status: 'not_opened' }>;

export async function loadEncounter(
  deps: AppDeps,
  encounterId: string,
  asOf?: Date,
): Promise<OpenedEncounter> {
  const { state } = await deps.store.aggregateStream(encounterStreamId(encounterId), encounterDecider, {
    ...(asOf !== undefined ? { asOf } : {}),
  });
  if (state.status === 'not_opened') throw errors.notFound('ENCOUNTER_NOT_FOUND', 'Encounter not found');
  return state;
}

/** Several encounters folded from one multi-stream read (a chart of many visits opens at once). */
export async function loadEncounters(
  deps: AppDeps,
  encounterIds: readonly string[],
): Promise<OpenedEncounter[]> {
  const streams = await deps.readStreams(encounterIds.map(encounterStreamId));
  return encounterIds.map((id) => {
    const events = streams.get(encounterStreamId(id)) ?? [];
    const state = events.reduce(
      (s, e) => encounterDecider.evolve(s, { type: e.type, data: e.data } as EncounterEvent),
      encounterDecider.initialState(),
    );
    if (state.status === 'not_opened') throw errors.notFound('ENCOUNTER_NOT_FOUND', 'Encounter not found');
    return state;
  });
}

async function read(
  deps: AppDeps,
  ctx: RequestContext,
  encounterId: string,
  permission: 'patient.chart:read' | 'audit:read',
  asOf?: Date,
): Promise<OpenedEncounter> {
  const { tenantId } = ctx.principal;
  const { patientId } = await requireStreamOf(deps, tenantId, 'encounter', encounterId);
  const access = { patientId, resourceType: 'Encounter', resourceId: encounterId, action: 'read' as const };
  await authorizeRead(deps, ctx, permission, access);
  await assertNotShredded(deps, tenantId, patientId);
  const state = await loadEncounter(deps, encounterId, asOf);
  await recordAllowed(deps, ctx, [access]);
  return state;
}

/** The chart of one encounter (notes, products, lots, sites, addenda): clinicians and the patient. */
export const getEncounter = (deps: AppDeps, ctx: RequestContext, encounterId: string) =>
  read(deps, ctx, encounterId, 'patient.chart:read');

/** Compliance: the chart as it stood at `asOf`. */
export const getEncounterAsOf = (deps: AppDeps, ctx: RequestContext, encounterId: string, asOf: Date) =>
  read(deps, ctx, encounterId, 'audit:read', asOf);

/**
 * The chart history a provider opens: every encounter of the patient, oldest first, decrypted.
 * One access event per encounter, all written before any data leaves. Each encounter is its
 * sealed fold (the encounter_charts read model: one decryption) with the events recorded since
 * folded on top, read in the same statement: as current as folding the streams, at a fraction
 * of the decryptions.
 */
export async function listEncounters(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
): Promise<OpenedEncounter[]> {
  const { tenantId } = ctx.principal;
  requireUuid(patientId, 'patientId');
  // The existence check, the list and the stored charts in one statement: a chart opens on every visit.
  const { patientFound, encounters: stored } = await chartOf(deps.pool, deps.schema, {
    tenantId,
    patientId,
    patientStreamId: patientStreamId(patientId),
    encounterStreamPrefix: encounterStreamId(''),
  });
  if (!patientFound) throw errors.notFound('PATIENT_NOT_FOUND', 'Patient not found');
  const access = { patientId, resourceType: 'Encounter', resourceId: patientId, action: 'read' as const };
  await authorizeRead(deps, ctx, 'patient.chart:read', access);
  // KEY_SHREDDED for an erased patient, as assertNotShredded.
  const cipher = await deps.fields.forSubject(tenantId, patientId);
  const encounters = await Promise.all(stored.map((e) => unsealEncounter(deps, cipher, e)));
  await recordAllowed(
    deps,
    ctx,
    stored.map(({ encounterId: resourceId }) => ({ ...access, resourceId })),
  );
  return encounters;
}

async function unsealEncounter(
  deps: AppDeps,
  cipher: SubjectCipher,
  stored: StoredEncounter,
): Promise<OpenedEncounter> {
  const { encounterId, sealed } = stored;
  let state =
    sealed === undefined
      ? encounterDecider.initialState()
      : openChart(cipher, encounterId, sealed.version, sealed.chart);
  for (const e of await deps.decodeEvents(stored.newer)) {
    state = encounterDecider.evolve(state, { type: e.type, data: e.data } as EncounterEvent);
  }
  if (state.status === 'not_opened') throw errors.notFound('ENCOUNTER_NOT_FOUND', 'Encounter not found');
  return state;
}
