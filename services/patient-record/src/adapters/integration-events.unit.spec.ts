import type { EventMetadata } from '@medspa/eventstore';
import { describe, expect, it } from 'vitest';
import type { PatientRecordEvent } from '../domain/index.js';
import { phiFields } from '../domain/phi-fields.js';
import { ids } from '../domain/test-fixtures/ids.js';
import {
  draftEncounterEvents,
  patientEvents,
  signedEncounterEvents,
  withdrawnByRepresentative,
} from '../fhir/testing/record.js';
import { patientRecordOutbox } from './integration-events.js';

const metadata: EventMetadata = {
  tenantId: ids.other,
  actor: { id: ids.staff, role: 'provider' },
  correlationId: 'c',
};

/** Every string inside a value, however deep: what must not reach a payload. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

const events: PatientRecordEvent[] = [
  ...patientEvents,
  ...signedEncounterEvents,
  ...draftEncounterEvents,
  ...withdrawnByRepresentative,
  {
    type: 'PatientMergedInto',
    data: { patientId: ids.duplicate, survivorPatientId: ids.patient, mergedBy: ids.staff, at: ids.at(12) },
  },
  { type: 'PatientErased', data: { patientId: ids.patient, erasedBy: ids.staff, at: ids.at(20) } },
];

describe('integration events of patient-record', () => {
  const toOutbox = patientRecordOutbox();

  it('map every event to a message on the service topic, keyed by stream, carrying no PHI', () => {
    for (const event of events) {
      const message = toOutbox({
        event,
        eventId: ids.note,
        streamId: `stream-${ids.patient}`,
        streamType: 'patient',
        metadata,
        occurredAt: new Date(),
      });
      expect(message.topic).toBe('medspa.patient-record.events.v1');
      expect(message.key).toBe(`stream-${ids.patient}`);
      expect(message.type).toMatch(/^medspa\.patient_record\.v1\.[A-Z]/);
      const payload = Buffer.from(message.payload).toString('latin1');
      const phi = (phiFields[event.type] as readonly string[]).flatMap((k) =>
        stringsIn((event.data as Record<string, unknown>)[k]),
      );
      // Short codes (`U`, `mL`, `F`) could appear by chance inside binary ids; real PHI is longer.
      for (const value of phi.filter((v) => v.length >= 5)) {
        expect(payload.includes(value), `${event.type} leaks ${value}`).toBe(false);
      }
    }
  });
});
