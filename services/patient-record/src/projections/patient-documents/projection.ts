import { quoteIdent } from '@medspa/db';
import { defineProjection, type Projection } from '@medspa/projections';
import type { ConsentDocumentSigned, IntakeFormSubmitted } from '../../domain/index.js';

type DocumentEvent = ConsentDocumentSigned | IntakeFormSubmitted;

/** Lists each patient's consent documents and intake forms (ids only) for listing and export. */
export function patientDocumentsProjection(schema: string): Projection<DocumentEvent> {
  const s = quoteIdent(schema);
  return defineProjection<DocumentEvent>({
    name: 'patient_documents',
    streamTypes: ['consent_document', 'intake_form'],
    eventTypes: ['ConsentDocumentSigned', 'IntakeFormSubmitted'],
    tables: ['patient_documents'],
    async apply(db, e) {
      const event = { type: e.type, data: e.data } as DocumentEvent;
      const [kind, documentId] =
        event.type === 'ConsentDocumentSigned'
          ? ['consent_document', event.data.consentDocumentId]
          : ['intake_form', event.data.intakeFormId];
      await db.query(
        `INSERT INTO ${s}.patient_documents (tenant_id, document_id, patient_id, kind, recorded_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [e.metadata.tenantId, documentId, event.data.patientId, kind, event.data.at],
      );
    },
  });
}
