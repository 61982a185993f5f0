import { errors } from '@medspa/errors';
import { encounterDecider, type EncounterState } from '../domain/index.js';
import { authorizeRead, recordAllowed } from './access.js';
import type { AppDeps } from './deps.js';
import { assertNotShredded } from './patient-queries.js';
import type { RequestContext } from './request-context.js';
import { encounterStreamId, requireStreamOf } from './streams.js';

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
