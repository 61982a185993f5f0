import { requirePermission } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { handleCommand, newId } from '@medspa/eventstore';
import {
  patientDecider,
  type CommunicationChannel,
  type ConsentSource,
  type ContactDetails,
  type Demographics,
  type PatientCommand,
} from '../domain/index.js';
import { ownedBy } from './access.js';
import type { AppDeps } from './deps.js';
import { metadataOf, type RequestContext } from './request-context.js';
import { PATIENT_STREAM, patientStreamId, requireStreamOf } from './streams.js';

const hasContact = (c: ContactDetails) =>
  c.phone !== undefined || c.email !== undefined || c.address !== undefined;

export async function decide(deps: AppDeps, ctx: RequestContext, patientId: string, command: PatientCommand) {
  await handleCommand(deps.store, patientDecider, {
    streamId: patientStreamId(patientId),
    streamType: PATIENT_STREAM,
    command,
    metadata: metadataOf(ctx),
  });
}

/** Registers a new patient; the id is chosen here so callers cannot collide with another tenant's. */
export async function registerPatient(
  deps: AppDeps,
  ctx: RequestContext,
  input: { demographics: Demographics; contact: ContactDetails },
): Promise<string> {
  // Staff register patients; a patient account cannot mint a second record for itself.
  if (requirePermission(ctx.principal, 'patient.demographics:write') === 'own') {
    throw errors.forbidden('PERMISSION_DENIED', 'Patients are registered by the clinic');
  }
  if (hasContact(input.contact)) requirePermission(ctx.principal, 'patient.contact:write');
  const patientId = newId();
  await decide(deps, ctx, patientId, {
    type: 'RegisterPatient',
    patientId,
    demographics: input.demographics,
    contact: input.contact,
    at: deps.now().toISOString(),
  });
  return patientId;
}

export async function changeContactDetails(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
  contact: ContactDetails,
): Promise<void> {
  await requireStreamOf(deps, ctx.principal.tenantId, 'patient', patientId);
  requirePermission(ctx.principal, 'patient.contact:write', ownedBy(patientId));
  await decide(deps, ctx, patientId, { type: 'ChangeContactDetails', contact, at: deps.now().toISOString() });
}

export async function changeCommunicationConsent(
  deps: AppDeps,
  ctx: RequestContext,
  input: { patientId: string; channel: CommunicationChannel; source: ConsentSource; grant: boolean },
): Promise<void> {
  await requireStreamOf(deps, ctx.principal.tenantId, 'patient', input.patientId);
  requirePermission(ctx.principal, 'patient.contact:write', ownedBy(input.patientId));
  const { channel, source } = input;
  await decide(deps, ctx, input.patientId, {
    type: input.grant ? 'GrantCommunicationConsent' : 'RevokeCommunicationConsent',
    channel,
    source,
    at: deps.now().toISOString(),
  });
}

/** A correction or a legal name change: replaces all demographics (name, date of birth, gender). */
export async function changeDemographics(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
  demographics: Demographics,
): Promise<void> {
  await requireStreamOf(deps, ctx.principal.tenantId, 'patient', patientId);
  requirePermission(ctx.principal, 'patient.demographics:write', ownedBy(patientId));
  await decide(deps, ctx, patientId, {
    type: 'ChangeDemographics',
    demographics,
    at: deps.now().toISOString(),
  });
}
