import { requirePermission, type Permission } from '@medspa/auth';
import { handleCommand, newId } from '@medspa/eventstore';
import {
  encounterDecider,
  type EncounterCommand,
  type EncounterOpening,
  type GoodFaithExamDetails,
  type PhotoReference,
  type ProductUseDetails,
} from '../domain/index.js';
import type { AppDeps } from './deps.js';
import { metadataOf, type RequestContext } from './request-context.js';
import { ENCOUNTER_STREAM, encounterStreamId, requireStreamOf } from './streams.js';

async function decide(deps: AppDeps, ctx: RequestContext, encounterId: string, command: EncounterCommand) {
  await handleCommand(deps.store, encounterDecider, {
    streamId: encounterStreamId(encounterId),
    streamType: ENCOUNTER_STREAM,
    command,
    metadata: metadataOf(ctx),
  });
}

/** Charting is for the treating clinician of the caller's clinic: tenant first, then role. */
async function authorizeChart(
  deps: AppDeps,
  ctx: RequestContext,
  encounterId: string,
  permission: Permission,
) {
  await requireStreamOf(deps, ctx.principal.tenantId, 'encounter', encounterId);
  requirePermission(ctx.principal, permission);
}

export async function openEncounter(
  deps: AppDeps,
  ctx: RequestContext,
  input: { patientId: string; opening: Omit<EncounterOpening, 'providerId'> & { providerId?: string } },
): Promise<string> {
  await requireStreamOf(deps, ctx.principal.tenantId, 'patient', input.patientId);
  requirePermission(ctx.principal, 'patient.chart:write');
  const encounterId = newId();
  const opening: EncounterOpening = {
    ...input.opening,
    providerId: input.opening.providerId ?? ctx.principal.userId,
  };
  await decide(deps, ctx, encounterId, {
    type: 'OpenEncounter',
    encounterId,
    patientId: input.patientId,
    opening,
    at: deps.now().toISOString(),
  });
  return encounterId;
}

export async function recordTreatmentNote(
  deps: AppDeps,
  ctx: RequestContext,
  encounterId: string,
  text: string,
) {
  await authorizeChart(deps, ctx, encounterId, 'patient.chart:write');
  const noteId = newId();
  await decide(deps, ctx, encounterId, {
    type: 'RecordTreatmentNote',
    noteId,
    authorId: ctx.principal.userId,
    text,
    at: deps.now().toISOString(),
  });
  return noteId;
}

export async function recordProductUse(
  deps: AppDeps,
  ctx: RequestContext,
  encounterId: string,
  productUse: ProductUseDetails,
): Promise<string> {
  await authorizeChart(deps, ctx, encounterId, 'patient.chart:write');
  const productUseId = newId();
  await decide(deps, ctx, encounterId, {
    type: 'RecordProductUse',
    productUseId,
    productUse,
    at: deps.now().toISOString(),
  });
  return productUseId;
}

export async function signChart(deps: AppDeps, ctx: RequestContext, encounterId: string): Promise<void> {
  await authorizeChart(deps, ctx, encounterId, 'patient.chart:sign');
  await decide(deps, ctx, encounterId, {
    type: 'SignChart',
    providerId: ctx.principal.userId,
    // Which states require a good-faith exam is location data this service does not hold yet.
    goodFaithExamRequired: false,
    at: deps.now().toISOString(),
  });
}

export async function signAddendum(deps: AppDeps, ctx: RequestContext, encounterId: string, text: string) {
  await authorizeChart(deps, ctx, encounterId, 'patient.chart:sign');
  const addendumId = newId();
  await decide(deps, ctx, encounterId, {
    type: 'SignAddendum',
    addendumId,
    authorId: ctx.principal.userId,
    text,
    at: deps.now().toISOString(),
  });
  return addendumId;
}

/** A before/after photo: only its object key and type are charted; the bytes stay in storage. */
export async function attachPhoto(
  deps: AppDeps,
  ctx: RequestContext,
  encounterId: string,
  photo: PhotoReference,
): Promise<string> {
  await authorizeChart(deps, ctx, encounterId, 'patient.chart:write');
  const photoId = newId();
  await decide(deps, ctx, encounterId, { type: 'AttachPhoto', photoId, photo, at: deps.now().toISOString() });
  return photoId;
}

/** The good-faith exam; the examiner is named in it (often not the caller, e.g. by telehealth). */
export async function recordGoodFaithExam(
  deps: AppDeps,
  ctx: RequestContext,
  encounterId: string,
  exam: GoodFaithExamDetails,
): Promise<string> {
  await authorizeChart(deps, ctx, encounterId, 'patient.chart:write');
  const examId = newId();
  await decide(deps, ctx, encounterId, {
    type: 'RecordGoodFaithExam',
    examId,
    exam,
    at: deps.now().toISOString(),
  });
  return examId;
}
