import { isKeyShredded, type FieldCipher, type SubjectCipher } from '@medspa/crypto';
import { errors } from '@medspa/errors';
import type { DomainEvent, EventCodec, RecordedEvent } from '@medspa/eventstore';
import { phiFieldsOf } from '../domain/phi-fields.js';

/**
 * The field name bound into each ciphertext's AAD (with tenant and patient): the event type and
 * the data key, so a ciphertext cannot be moved to another field or event type and still open.
 */
export const eventFieldName = (eventType: string, key: string): string => `event.${eventType}.${key}`;

export interface PhiCodecOptions {
  fields: FieldCipher;
  /** Creates the tenant's keys on its first PHI write (idempotent). */
  provisionTenant: (tenantId: string) => Promise<unknown>;
}

/** The cipher that seals a patient's fields on a write. */
export type WriterFor = (tenantId: string, patientId: string) => Promise<SubjectCipher>;

type Data = Record<string, unknown>;

const patientIdOf = (type: string, data: Data): string => {
  const id = data.patientId;
  // phi-fields.ts promises every PHI event names its patient; a miss is a bug, never bad input.
  if (typeof id !== 'string') throw errors.internal('PHI_EVENT_WITHOUT_PATIENT', `${type} has no patientId`);
  return id;
};

/** The PHI fields of a known event type that this event carries. */
function phiPresentIn(event: DomainEvent): string[] {
  const phi = phiFieldsOf(event.type);
  // An unknown type would be stored in clear: refuse it.
  if (phi === undefined) throw errors.internal('UNKNOWN_EVENT_TYPE', `No PHI map for ${event.type}`);
  const data = event.data as Data;
  return phi.filter((k) => data[k] !== undefined);
}

/** The patients whose data keys sealing these events needs, sorted (the order keys are locked in). */
export function patientsSealedBy(events: readonly DomainEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) if (phiPresentIn(e).length > 0) ids.add(patientIdOf(e.type, e.data as Data));
  return [...ids].sort();
}

/**
 * The event store's codec: encrypts exactly the PHI fields of each event type (phi-fields.ts) under
 * the patient's data key, one ciphertext per field of the JSON of its value. Decoding an event of
 * a crypto-shredded patient (or tenant) returns it without those fields rather than throwing, so
 * that projections and the relay read past erased patients. `writerFor` replaces how a write gets
 * its keys (e.g. those made inside the append's own transaction).
 */
export function createPhiCodec(options: PhiCodecOptions, writerFor?: WriterFor): EventCodec {
  const { fields } = options;
  const provisioned = new Set<string>();

  async function ownWriterFor(tenantId: string, patientId: string): Promise<SubjectCipher> {
    if (!provisioned.has(tenantId)) {
      await options.provisionTenant(tenantId);
      provisioned.add(tenantId);
    }
    return fields.forSubject(tenantId, patientId, { create: true });
  }
  const writer = writerFor ?? ownWriterFor;

  return {
    async encode(event: DomainEvent, ctx) {
      const present = phiPresentIn(event);
      if (present.length === 0) return event;
      const data = event.data as Data;
      const cipher = await writer(ctx.metadata.tenantId, patientIdOf(event.type, data));
      const encoded: Data = { ...data };
      for (const k of present) {
        encoded[k] = cipher.encrypt(eventFieldName(event.type, k), JSON.stringify(data[k]));
      }
      return { type: event.type, data: encoded };
    },

    async decode(recorded: RecordedEvent) {
      const phi = phiFieldsOf(recorded.type);
      if (phi === undefined || phi.length === 0) return recorded;
      const data = recorded.data as Data;
      const present = phi.filter((k) => typeof data[k] === 'string');
      if (present.length === 0) return recorded;
      let cipher: SubjectCipher;
      try {
        cipher = await fields.forSubject(recorded.metadata.tenantId, patientIdOf(recorded.type, data));
      } catch (e) {
        if (isKeyShredded(e)) return { ...recorded, data: withoutFields(data, phi) };
        throw e;
      }
      const decoded: Data = { ...data };
      for (const k of present) {
        decoded[k] = JSON.parse(cipher.decrypt(eventFieldName(recorded.type, k), data[k] as string));
      }
      return { ...recorded, data: decoded };
    },
  };
}

function withoutFields(data: Data, phi: readonly string[]): Data {
  return Object.fromEntries(Object.entries(data).filter(([k]) => !phi.includes(k)));
}
