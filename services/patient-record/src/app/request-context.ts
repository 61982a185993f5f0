import type { Principal } from '@medspa/auth';
import type { EventMetadata } from '@medspa/eventstore';
import type { AccessPurposeName } from '@medspa/messaging';

/** Who is asking, as the app layer needs it: from the verified token only. */
export interface RequestContext {
  principal: Principal;
  requestId: string;
  traceparent?: string | undefined;
}

/** Event and access metadata of a request: the tenant comes only from the token. */
export function metadataOf(ctx: RequestContext): EventMetadata {
  return {
    tenantId: ctx.principal.tenantId,
    actor: { id: ctx.principal.userId, role: ctx.principal.role },
    correlationId: ctx.requestId,
    ...(ctx.traceparent !== undefined ? { traceparent: ctx.traceparent } : {}),
  };
}

/**
 * Why this caller reads PHI, for the accounting of disclosures: what their role is for, or an
 * emergency under break-glass. A request field would let callers pick the purpose that looks best.
 */
export function purposeOf(principal: Principal): AccessPurposeName {
  if (principal.breakGlass !== undefined) return 'emergency';
  switch (principal.role) {
    case 'provider':
      return 'treatment';
    case 'billing':
      return 'payment';
    case 'patient':
      return 'patient_request';
    case 'compliance_officer':
      return 'compliance';
    case 'owner':
    case 'manager':
    case 'front_desk':
    case 'service':
      return 'operations';
    default: {
      const _exhaustive: never = principal.role;
      return 'operations';
    }
  }
}
