import { randomUUID } from 'node:crypto';
import type { Principal } from '@medspa/auth';
import type {
  LegalHold as LegalHoldMessage,
  ListLegalHoldsRequest,
  ListLegalHoldsResponse,
  PlaceLegalHoldRequest,
  PlaceLegalHoldResponse,
  ReleaseLegalHoldRequest,
  ReleaseLegalHoldResponse,
} from '@medspa/contracts/medspa.audit.v1';
import type { Pool } from '@medspa/db';
import { errors, type FieldViolation } from '@medspa/errors';
import type { CallContext } from '@medspa/grpc';
import { holdPlacedRecord, holdReleasedRecord } from '../../app/legal-hold-entries.js';
import {
  alreadyReleased,
  findLegalHold,
  insertPlacement,
  insertRelease,
  listLegalHolds,
  type HoldPlacement,
  type LegalHold,
} from '../../app/legal-holds.js';
import type { AuditStore } from '../../store/append.js';
import type { Guard } from './guard.js';
import { optionalText } from './requests.js';

const REASON_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(violations: FieldViolation[]): never {
  throw errors.validation('INVALID_ARGUMENT', 'The request is invalid', { violations });
}

function placement(r: PlaceLegalHoldRequest): HoldPlacement {
  const violations: FieldViolation[] = [];
  if (!REASON_CODE.test(r.reasonCode))
    violations.push({ field: 'reason_code', message: 'is required, in SCREAMING_SNAKE_CASE' });
  if (r.reference !== '' && !REFERENCE.test(r.reference))
    violations.push({ field: 'reference', message: 'must be letters, digits and . _ : / - (at most 64)' });
  if (r.from !== undefined && r.to !== undefined && r.from >= r.to)
    violations.push({ field: 'to', message: 'must be after from' });
  if (violations.length > 0) invalid(violations);
  return {
    holdId: randomUUID(),
    subjectId: optionalText(r.subjectId, 'subject_id') ?? null,
    from: r.from ?? null,
    to: r.to ?? null,
    reasonCode: r.reasonCode,
    reference: r.reference === '' ? null : r.reference,
  };
}

const toMessage = (h: LegalHold): LegalHoldMessage => ({
  holdId: h.holdId,
  subjectId: h.subjectId ?? '',
  from: h.from ?? undefined,
  to: h.to ?? undefined,
  reasonCode: h.reasonCode,
  reference: h.reference ?? '',
  placedBy: h.placedBy.id,
  placedByRole: h.placedBy.role,
  placedAt: h.placedAt,
  released: h.release !== null,
  releasedBy: h.release?.by.id ?? '',
  releasedByRole: h.release?.by.role ?? '',
  releasedAt: h.release?.at ?? undefined,
  releaseReasonCode: h.release?.reasonCode ?? '',
});

const actorOf = (p: Principal) => ({ id: p.userId, role: p.role });

/**
 * Place, release and list legal holds. Each call passes the guard (permission check; the call's
 * own access entry, denied ones too). A placement or release is then appended to the chain as an
 * entry of its own BEFORE its row is written: should the row fail, the log holds an attempt too
 * many, never a hold change it does not show.
 */
export function legalHoldHandlers(deps: { pool: Pool; store: AuditStore; now: () => Date }, guard: Guard) {
  return {
    async placeLegalHold(request: PlaceLegalHoldRequest, ctx: CallContext): Promise<PlaceLegalHoldResponse> {
      const hold = placement(request);
      const tenantId = await guard(ctx, {
        permission: 'audit:legal_hold',
        operation: 'PlaceLegalHold',
        action: 'read',
        subjectId: hold.subjectId,
      });
      await deps.store.append([holdPlacedRecord(ctx.principal, ctx.requestId, deps.now(), hold)]);
      const placed = await insertPlacement(deps.pool, tenantId, hold, actorOf(ctx.principal));
      return { hold: toMessage(placed) };
    },

    async releaseLegalHold(
      request: ReleaseLegalHoldRequest,
      ctx: CallContext,
    ): Promise<ReleaseLegalHoldResponse> {
      const violations: FieldViolation[] = [];
      if (!UUID.test(request.holdId)) violations.push({ field: 'hold_id', message: 'must be a UUID' });
      if (!REASON_CODE.test(request.reasonCode))
        violations.push({ field: 'reason_code', message: 'is required, in SCREAMING_SNAKE_CASE' });
      if (violations.length > 0) invalid(violations);
      const holdId = request.holdId.toLowerCase();
      const tenantId = await guard(ctx, {
        permission: 'audit:legal_hold',
        operation: 'ReleaseLegalHold',
        action: 'read',
        subjectId: null,
      });
      const hold = await findLegalHold(deps.pool, tenantId, holdId);
      if (hold.release !== null) throw alreadyReleased();
      await deps.store.append([
        holdReleasedRecord(ctx.principal, ctx.requestId, deps.now(), {
          holdId,
          subjectId: hold.subjectId,
          reasonCode: request.reasonCode,
        }),
      ]);
      const released = await insertRelease(
        deps.pool,
        tenantId,
        holdId,
        request.reasonCode,
        actorOf(ctx.principal),
      );
      return { hold: toMessage(released) };
    },

    async listLegalHolds(request: ListLegalHoldsRequest, ctx: CallContext): Promise<ListLegalHoldsResponse> {
      const tenantId = await guard(ctx, {
        permission: 'audit:read',
        operation: 'ListLegalHolds',
        action: 'search',
        subjectId: null,
      });
      const holds = await listLegalHolds(deps.pool, tenantId, request.includeReleased);
      return { holds: holds.map(toMessage) };
    },
  };
}
