import type {
  AccountingOfDisclosuresResponse,
  AuditEntry,
  AuditServiceService,
  QueryEntriesRequest,
  VerifyResponse,
} from '@medspa/contracts/medspa.audit.v1';
import type { Pool } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { ServiceHandlers } from '@medspa/grpc';
import { exportChain } from '../../export/export-chain.js';
import { accountingOfDisclosures } from '../../queries/disclosures.js';
import { queryEntries, type EntryFilter, type EntryRow } from '../../queries/entry-query.js';
import type { CheckpointSigner, TrustedKeys } from '../../signing/checkpoint-signer.js';
import type { AuditStore } from '../../store/append.js';
import { pgLogSource } from '../../store/pg-log-source.js';
import { verifyChainParallel } from '../../verify/parallel-verify.js';
import { verifyChain } from '../../verify/verify-chain.js';
import { createGuard } from './guard.js';
import { legalHoldHandlers } from './legal-holds.js';
import { disclosurePeriod, optionalText, queryFilter } from './requests.js';

export interface AuditServiceDeps {
  pool: Pool;
  store: AuditStore;
  signer: CheckpointSigner;
  /** Public keys from configuration (never from the database) that checkpoints must verify under. */
  trustedKeys: TrustedKeys;
  /** When set, long chains are verified in segments on worker threads (their own connections). */
  databaseUrl?: string;
  now?: () => Date;
}

const toEntry = (e: EntryRow): AuditEntry => ({
  sequence: e.sequence,
  messageId: e.messageId,
  eventType: e.eventType,
  occurredAt: e.occurredAt,
  appendedAt: e.appendedAt,
  actorId: e.actorId,
  actorRole: e.actorRole,
  subjectId: e.subjectId ?? '',
  action: e.action,
  correlationId: e.correlationId,
  sourceTopic: e.sourceTopic,
  detailsJson: JSON.stringify(e.details),
});

/** The AuditService RPCs. Every call, allowed or denied, is appended to the log before it answers. */
export function auditServiceHandlers(deps: AuditServiceDeps): ServiceHandlers<typeof AuditServiceService> {
  const now = deps.now ?? (() => new Date());

  const guard = createGuard(deps.store, now);

  return {
    ...legalHoldHandlers({ pool: deps.pool, store: deps.store, now }, guard),

    async queryEntries(request: QueryEntriesRequest, ctx) {
      const filter: EntryFilter = queryFilter(request);
      const tenantId = await guard(ctx, {
        permission: 'audit:read',
        operation: 'QueryEntries',
        action: 'search',
        subjectId: filter.subjectId ?? null,
      });
      const page = await queryEntries(deps.pool, tenantId, filter, {
        size: request.pageSize,
        token: request.pageToken,
      });
      return { entries: page.entries.map(toEntry), nextPageToken: page.nextPageToken };
    },

    async accountingOfDisclosures(request, ctx): Promise<AccountingOfDisclosuresResponse> {
      const period = disclosurePeriod(request, now());
      const subjectId = optionalText(request.subjectId, 'subject_id', true)!;
      const tenantId = await guard(ctx, {
        permission: 'audit:read',
        operation: 'AccountingOfDisclosures',
        action: 'search',
        subjectId,
      });
      const rows = await accountingOfDisclosures(deps.pool, tenantId, subjectId, period);
      return { disclosures: rows };
    },

    async *exportEntries(_request, ctx) {
      const tenantId = await guard(ctx, {
        permission: 'audit:export',
        operation: 'ExportEntries',
        action: 'export',
        subjectId: null,
      });
      for await (const item of exportChain(deps.pool, tenantId, deps.signer, now)) {
        yield 'line' in item
          ? { item: { $case: 'line' as const, value: item.line } }
          : { item: { $case: 'manifestJson' as const, value: item.manifestJson } };
      }
    },

    async verify(request, ctx): Promise<VerifyResponse> {
      const tenantId = await guard(ctx, {
        permission: 'audit:read',
        operation: 'Verify',
        action: 'read',
        subjectId: null,
      });
      const verifyOptions = { trustedKeys: deps.trustedKeys, checkColumns: request.checkColumns };
      const source = pgLogSource(deps.pool);
      const report =
        deps.databaseUrl === undefined
          ? await verifyChain(source, tenantId, verifyOptions)
          : await verifyChainParallel(source, tenantId, { ...verifyOptions, databaseUrl: deps.databaseUrl });
      if (report.chainId !== tenantId)
        throw errors.internal('AUDIT_VERIFY_MISMATCH', 'Verification mismatch');
      return {
        chainId: report.chainId,
        intact: report.intact,
        lastSequence: report.lastSequence,
        signedThrough: report.signedThrough,
        unsignedEntries: report.unsignedEntries,
        checkpointsVerified: report.checkpointsVerified,
        problem:
          report.problem === undefined
            ? undefined
            : {
                kind: report.problem.kind,
                sequence: report.problem.sequence,
                lastSequence: report.problem.lastSequence ?? report.problem.sequence,
                detail: report.problem.detail,
              },
      };
    },
  };
}
