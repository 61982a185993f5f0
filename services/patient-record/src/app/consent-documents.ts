import { requirePermission } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { handleCommand, newId } from '@medspa/eventstore';
import {
  consentDocumentDecider,
  type ConsentDocumentCommand,
  type ConsentDocumentState,
  type ConsentTemplateRef,
  type Signature,
} from '../domain/index.js';
import { documentIdsOf } from '../projections/patient-documents/queries.js';
import { authorizeRead, ownedBy, recordAllowed } from './access.js';
import type { AppDeps } from './deps.js';
import { assertNotShredded } from './patient-queries.js';
import { metadataOf, type RequestContext } from './request-context.js';
import { CONSENT_DOCUMENT_STREAM, consentDocumentStreamId, requireStreamOf } from './streams.js';

export type SignedConsentDocument = Exclude<ConsentDocumentState, { status: 'unsigned' }>;

async function decide(deps: AppDeps, ctx: RequestContext, id: string, command: ConsentDocumentCommand) {
  await handleCommand(deps.store, consentDocumentDecider, {
    streamId: consentDocumentStreamId(id),
    streamType: CONSENT_DOCUMENT_STREAM,
    command,
    metadata: metadataOf(ctx),
  });
}

/**
 * Records a signed consent document: the template version shown, the signer, the signature image
 * key and the SHA-256 of the rendered document. The signing time is the server's, never the
 * caller's, so a signature cannot be back-dated.
 */
export async function signConsentDocument(
  deps: AppDeps,
  ctx: RequestContext,
  input: { patientId: string; template: ConsentTemplateRef; signature: Signature },
): Promise<string> {
  await requireStreamOf(deps, ctx.principal.tenantId, 'patient', input.patientId);
  requirePermission(ctx.principal, 'patient.consent:write', ownedBy(input.patientId));
  const consentDocumentId = newId();
  await decide(deps, ctx, consentDocumentId, {
    type: 'SignConsentDocument',
    consentDocumentId,
    ...input,
    at: deps.now().toISOString(),
  });
  return consentDocumentId;
}

/** The patient takes consent back; the signed document stays on record. */
export async function withdrawConsentDocument(
  deps: AppDeps,
  ctx: RequestContext,
  consentDocumentId: string,
  reason: string | undefined,
): Promise<void> {
  const { patientId } = await requireStreamOf(
    deps,
    ctx.principal.tenantId,
    'consent_document',
    consentDocumentId,
  );
  requirePermission(ctx.principal, 'patient.consent:write', ownedBy(patientId));
  await decide(deps, ctx, consentDocumentId, {
    type: 'WithdrawConsentDocument',
    withdrawnBy: ctx.principal.userId,
    ...(reason !== undefined ? { reason } : {}),
    at: deps.now().toISOString(),
  });
}

/** Folds consent documents from their streams (decrypting them). */
export async function loadConsentDocuments(deps: AppDeps, ids: string[]): Promise<SignedConsentDocument[]> {
  const states = await Promise.all(
    ids.map(
      async (id) =>
        (await deps.store.aggregateStream(consentDocumentStreamId(id), consentDocumentDecider)).state,
    ),
  );
  return states.filter((s): s is SignedConsentDocument => s.status !== 'unsigned');
}

/** A patient's signed consent documents, oldest first: an audited read (one event per document). */
export async function listConsentDocuments(
  deps: AppDeps,
  ctx: RequestContext,
  patientId: string,
): Promise<SignedConsentDocument[]> {
  const { tenantId } = ctx.principal;
  await requireStreamOf(deps, tenantId, 'patient', patientId);
  const read = { patientId, resourceType: 'Consent', resourceId: patientId, action: 'read' as const };
  await authorizeRead(deps, ctx, 'patient.consent:read', read);
  await assertNotShredded(deps, tenantId, patientId);
  const ids = await documentIdsOf(deps.pool, deps.schema, {
    tenantId,
    patientIds: [patientId],
    kind: 'consent_document',
  });
  const documents = await loadConsentDocuments(deps, ids);
  if (documents.some((d) => d.document.patientId !== patientId)) {
    throw errors.internal('DOCUMENT_OWNER_MISMATCH', 'A listed document belongs to another patient');
  }
  await recordAllowed(
    deps,
    ctx,
    documents.map((d) => ({ ...read, resourceId: d.document.consentDocumentId })),
  );
  return documents;
}
