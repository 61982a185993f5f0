import { requirePermission, type Permission } from '@medspa/auth';
import type { CallContext } from '@medspa/grpc';
import { recordAccess } from '@medspa/messaging';
import { isAppError } from '@medspa/errors';
import { SCHEMA } from '../../projections/schema.js';
import type { SchedulingDeps } from './deps.js';
import { metadataOf } from './request.js';

/**
 * Checks the caller may read a patient's appointments and records the read, allowed or denied,
 * in the outbox before anything is returned: that a person has appointments at a med spa, and
 * when, is health information.
 */
export async function authorizeAndLogRead(
  deps: SchedulingDeps,
  ctx: CallContext,
  permission: Permission,
  read: { patientId: string; resourceType: string; resourceId: string },
): Promise<void> {
  const log = (outcome: { allowed: true } | { allowed: false; reason: string }) =>
    recordAccess(
      deps.pool,
      SCHEMA,
      {
        subjectId: read.patientId,
        resourceType: read.resourceType,
        resourceId: read.resourceId,
        action: 'read',
        purpose: ctx.principal.role === 'patient' ? 'patient_request' : 'operations',
        ...(ctx.principal.breakGlass ? { breakGlass: true } : {}),
        outcome,
        requestId: ctx.requestId,
      },
      { metadata: metadataOf(ctx), topic: deps.topic },
    );
  try {
    requirePermission(ctx.principal, permission, { ownerId: read.patientId });
  } catch (e) {
    if (isAppError(e)) await log({ allowed: false, reason: e.reason });
    throw e;
  }
  await log({ allowed: true });
}
