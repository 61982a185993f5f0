import { can, type OwnedResource, type Permission } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { recordAccess, type AccessActionName, type PhiAccess } from '@medspa/messaging';
import type { AppDeps } from './deps.js';
import { metadataOf, purposeOf, type RequestContext } from './request-context.js';

export interface AccessRequest {
  patientId: string;
  resourceType: string;
  resourceId: string;
  action: AccessActionName;
}

/**
 * A patient's own portal account has the patient's id as its user id (identity issues patient
 * accounts that way), which is what `own`-scoped grants compare.
 */
export const ownedBy = (patientId: string): OwnedResource => ({ ownerId: patientId });

function access(ctx: RequestContext, a: AccessRequest, outcome: PhiAccess['outcome']): PhiAccess {
  return {
    subjectId: a.patientId,
    resourceType: a.resourceType,
    resourceId: a.resourceId,
    action: a.action,
    purpose: purposeOf(ctx.principal),
    breakGlass: ctx.principal.breakGlass !== undefined,
    outcome,
    requestId: ctx.requestId,
  };
}

/** Writes the access events of allowed reads; call before the data is returned. */
export async function recordAllowed(deps: AppDeps, ctx: RequestContext, reads: readonly AccessRequest[]) {
  if (reads.length === 0) return;
  await recordAccess(
    deps.pool,
    deps.schema,
    reads.map((r) => access(ctx, r, { allowed: true })),
    { metadata: metadataOf(ctx), topic: deps.topic, now: deps.now },
  );
}

/**
 * Checks a permission for a read of one patient's PHI; a refusal is recorded as a denied access
 * before PERMISSION_DENIED is thrown, so attempts show in the audit trail too.
 */
export async function authorizeRead(
  deps: AppDeps,
  ctx: RequestContext,
  permission: Permission,
  read: AccessRequest,
): Promise<void> {
  if (can(ctx.principal, permission, ownedBy(read.patientId))) return;
  await recordAccess(
    deps.pool,
    deps.schema,
    access(ctx, read, { allowed: false, reason: 'PERMISSION_DENIED' }),
    {
      metadata: metadataOf(ctx),
      topic: deps.topic,
      now: deps.now,
    },
  );
  throw errors.forbidden('PERMISSION_DENIED', `Role ${ctx.principal.role} may not ${permission}`);
}
