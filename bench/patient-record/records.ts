import { randomUUID } from 'node:crypto';
import type { EventMetadata, DomainEvent } from '@medspa/eventstore';
import {
  encounterDecider,
  patientDecider,
  type EncounterCommand,
  type EncounterEvent,
  type EncounterState,
  type PatientEvent,
} from '@medspa/patient-record';
import { randomPerson } from './people.js';

const AT = '2026-01-15T15:00:00.000Z';

export const metadataFor = (
  tenantId: string,
  actorId: string,
  role: 'front_desk' | 'provider',
): EventMetadata => ({
  tenantId,
  actor: { id: actorId, role },
  correlationId: randomUUID(),
});

/** A registration as the decider makes it (normalised, validated). */
export function registration(): { patientId: string; events: PatientEvent[] } {
  const p = randomPerson();
  const events = patientDecider.decide(
    {
      type: 'RegisterPatient',
      patientId: p.patientId,
      demographics: p.demographics,
      contact: p.contact,
      at: AT,
    },
    patientDecider.initialState(),
  );
  return { patientId: p.patientId, events };
}

/**
 * One treatment visit, each step an append of its own as on the tablet: opened, a note, a
 * neurotoxin with lot and sites, signed. Decided in turn so every event is what the decider makes.
 */
export function visit(patientId: string, providerId: string, withPhoto = false): EncounterEvent[][] {
  const encounterId = randomUUID();
  const commands: EncounterCommand[] = [
    {
      type: 'OpenEncounter',
      encounterId,
      patientId,
      opening: {
        providerId,
        locationId: randomUUID(),
        timeZone: 'America/Los_Angeles',
        serviceName: 'Neurotoxin, upper face',
      },
      at: AT,
    },
    {
      type: 'RecordTreatmentNote',
      noteId: randomUUID(),
      authorId: providerId,
      text: 'Glabella 20U, forehead 10U. Tolerated well; reviewed aftercare; follow up in two weeks.',
      at: AT,
    },
    {
      type: 'RecordProductUse',
      productUseId: randomUUID(),
      productUse: {
        product: { name: 'Botox Cosmetic', category: 'neurotoxin', manufacturer: 'Allergan' },
        lotNumber: 'C7294AC4',
        expiresOn: '2099-12',
        quantity: { value: 30, unit: 'U' },
        injections: [
          { site: 'glabella', amount: 20, point: { x: 0.5, y: 0.3 } },
          { site: 'forehead', amount: 10, point: { x: 0.5, y: 0.2 } },
        ],
      },
      at: AT,
    },
    ...(withPhoto
      ? [
          {
            type: 'AttachPhoto' as const,
            photoId: randomUUID(),
            photo: {
              kind: 'before' as const,
              objectKey: `photos/${randomUUID()}.jpg`,
              contentType: 'image/jpeg' as const,
            },
            at: AT,
          },
        ]
      : []),
    { type: 'SignChart', providerId, goodFaithExamRequired: false, at: AT },
  ];
  let state: EncounterState = encounterDecider.initialState();
  return commands.map((c) => {
    const events = encounterDecider.decide(c, state);
    state = events.reduce(encounterDecider.evolve, state);
    return events;
  });
}

export type Appends = { streamId: string; streamType: string; events: DomainEvent[] }[];
