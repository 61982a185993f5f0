import { createHash } from 'node:crypto';
import type { ExtractResource, Patient, Reference, Resource, ResourceType } from '@medplum/fhirtypes';
import { identifierSystems } from './systems.js';

/** A reference to a resource in the same Bundle, by its `urn:uuid:` fullUrl. */
export const inBundle = <T extends Resource>(id: string): Reference<T> => ({ reference: `urn:uuid:${id}` });

/** The exported Patient, as every other resource refers to it. */
export type PatientReference = Reference<Patient>;

/**
 * A logical reference (by identifier) to something the Bundle does not hold: staff, locations and
 * appointments live in other services, so the export names them without inventing resources.
 */
export const logical = <K extends ResourceType>(
  type: K,
  system: keyof typeof identifierSystems,
  value: string,
  display?: string,
): Reference<ExtractResource<K>> => ({
  type,
  identifier: { system: identifierSystems[system], value },
  ...(display !== undefined ? { display } : {}),
});

// Fixed namespace for ids derived from ours (RFC 9562 name-based, SHA-1).
const NAMESPACE = Buffer.from('ba922dfd3d6d4cb989778f3319755b8e', 'hex');

/**
 * A stable UUIDv5 for a resource that has no id of its own (the treatment Procedure of an
 * Encounter): the same record always exports the same ids, so a receiver can update, not duplicate.
 */
export function derivedId(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
