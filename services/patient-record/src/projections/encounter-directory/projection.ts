import { quoteIdent } from '@medspa/db';
import { defineProjection, type Projection } from '@medspa/projections';
import type { EncounterEvent } from '../../domain/index.js';

type DirectoryEvent = Extract<EncounterEvent, { type: 'EncounterOpened' | 'ChartSigned' }>;

/** Which encounters each patient has (ids, provider, status; no PHI), for the FHIR export. */
export function encounterDirectoryProjection(schema: string): Projection<DirectoryEvent> {
  const s = quoteIdent(schema);
  return defineProjection<DirectoryEvent>({
    name: 'encounter_directory',
    streamTypes: ['encounter'],
    eventTypes: ['EncounterOpened', 'ChartSigned'],
    tables: ['encounter_directory'],
    async apply(db, e) {
      const { tenantId } = e.metadata;
      const event = { type: e.type, data: e.data } as DirectoryEvent;
      if (event.type === 'EncounterOpened') {
        // Decoded without its PHI: the patient was crypto-shredded, so nothing is listed for them.
        if ((event.data as Partial<typeof event.data>).serviceName === undefined) return;
        await db.query(
          `INSERT INTO ${s}.encounter_directory (tenant_id, encounter_id, patient_id, provider_id, signed, opened_at)
           VALUES ($1, $2, $3, $4, false, $5) ON CONFLICT DO NOTHING`,
          [tenantId, event.data.encounterId, event.data.patientId, event.data.providerId, event.data.at],
        );
        return;
      }
      await db.query(
        `UPDATE ${s}.encounter_directory SET signed = true WHERE tenant_id = $1 AND encounter_id = $2`,
        [tenantId, e.data.encounterId],
      );
    },
  });
}
