import { requirePermission, type Permission } from '@medspa/auth';
import { isAppError } from '@medspa/errors';
import type { CallContext } from '@medspa/grpc';
import { ownAccessRecord, type OwnAction } from '../../app/own-access.js';
import type { AuditStore } from '../../store/append.js';

export interface GuardedCall {
  permission: Permission;
  operation: string;
  action: OwnAction;
  subjectId: string | null;
}

/** Checks a call's permission and logs it; resolves with the caller's tenant (from the token only). */
export type Guard = (ctx: CallContext, call: GuardedCall) => Promise<string>;

/**
 * Checks the permission and appends the call's own access entry (denied too, then throws): the
 * log records who looked at it before a single entry is returned.
 */
export function createGuard(store: AuditStore, now: () => Date): Guard {
  return async (ctx, g) => {
    const principal = ctx.principal;
    const base = {
      principal,
      operation: g.operation,
      action: g.action,
      requestId: ctx.requestId,
      now: now(),
    };
    try {
      requirePermission(principal, g.permission);
    } catch (e) {
      if (isAppError(e) && e.kind === 'forbidden') {
        await store.append([ownAccessRecord({ ...base, subjectId: g.subjectId, deniedFor: e.reason })]);
      }
      throw e;
    }
    await store.append([ownAccessRecord({ ...base, subjectId: g.subjectId })]);
    return principal.tenantId.toLowerCase();
  };
}
