import type { DomainEvent } from '@medspa/eventstore';

/**
 * For each event type, the data fields that hold PHI. The event codec encrypts exactly these, one
 * ciphertext per field (JSON of the value when it is not a string), under the data key of the
 * Patient named by `data.patientId`; every event with a PHI field carries that id. Ids, instants
 * and codes stay in clear so streams can be routed, ordered and audited without decrypting.
 * A mapped type, so adding an event type without declaring its PHI fields does not compile.
 */
export type PhiFields<E extends DomainEvent> = {
  readonly [T in E['type']]: readonly (keyof Extract<E, { type: T }>['data'] & string)[];
};
