import { errors } from '@medspa/errors';
import type { KeyringCore } from './keyring-core.js';

/** Returned by `shredSubject` and passed to its listeners; ids only, no PHI. */
export interface SubjectKeysShredded {
  type: 'SubjectKeysShredded';
  tenantId: string;
  subjectId: string;
  /** How many data key versions were destroyed (0 when already shredded or never written). */
  dekVersions: number;
  shreddedAt: Date;
}

/** Returned by `shredTenant` and passed to its listeners. */
export interface TenantKeysShredded {
  type: 'TenantKeysShredded';
  tenantId: string;
  dekVersions: number;
  shreddedAt: Date;
}

/**
 * Runs inside the shredding transaction with its handle (a pg client for the Postgres store), so a
 * service purges read-model rows and blind-index entries atomically with the key; a throw rolls
 * the whole shred back.
 */
export type ShredListener<E, Tx> = (event: E, tx: Tx) => Promise<void> | void;

export interface ShredListeners<Tx> {
  subject: ShredListener<SubjectKeysShredded, Tx>[];
  tenant: ShredListener<TenantKeysShredded, Tx>[];
}

/**
 * Destroys a Patient's data keys (crypto-shredding): their fields in events stay as they are but can
 * never be decrypted again. Caveat: a database backup still holds the wrapped key (and the TEK that
 * unwraps it) until it expires; retention, or retiring the KEK version after a KEK rotation, ends that.
 */
export async function shredSubject<Tx>(
  core: KeyringCore<Tx>,
  listeners: ShredListeners<Tx>,
  tenantId: string,
  subjectId: string,
  client?: Tx,
): Promise<SubjectKeysShredded> {
  const event = await core.store.transaction(async (tx) => {
    const done = await core.store.shredSubject(tx, tenantId, subjectId);
    const shredded: SubjectKeysShredded = { type: 'SubjectKeysShredded', tenantId, subjectId, ...done };
    for (const listener of listeners.subject) await listener(shredded, tx);
    return shredded;
  }, client);
  // With the caller's transaction this runs before its commit; a read racing the commit could
  // re-cache the key here for at most the cache TTL (as on other replicas).
  core.forget(tenantId, subjectId);
  return event;
}

/** Destroys every key of a Tenant, including its blind-index key. */
export async function shredTenant<Tx>(
  core: KeyringCore<Tx>,
  listeners: ShredListeners<Tx>,
  tenantId: string,
  client?: Tx,
): Promise<TenantKeysShredded> {
  const event = await core.store.transaction(async (tx) => {
    const done = await core.store.shredTenant(tx, tenantId);
    if (done === undefined) throw errors.notFound('TENANT_NOT_PROVISIONED', 'The tenant has no keys');
    const shredded: TenantKeysShredded = { type: 'TenantKeysShredded', tenantId, ...done };
    for (const listener of listeners.tenant) await listener(shredded, tx);
    return shredded;
  }, client);
  core.forget(tenantId);
  return event;
}
