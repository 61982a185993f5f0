/** A tenant-level key (TEK or blind-index key) as stored: wrapped by one KEK version. */
export interface StoredTenantKey {
  version: number;
  wrappedKey: Buffer;
  /** The KEK name the key was wrapped under (configuration, e.g. `medspa-kek` or `alias/medspa-kek`). */
  kekId: string;
  /** The exact KEK version, as the KMS reported it. */
  kekRef: string;
}

export type TenantKeyKind = 'tek' | 'blind_index';

export interface StoredTenant {
  tenantId: string;
  /** The TEK version that wraps new data keys. */
  tekVersion: number;
  shreddedAt: Date | null;
  /** Every TEK version still referenced (usually one; two during a rotation). */
  teks: StoredTenantKey[];
  blindIndexKey: StoredTenantKey | null;
}

/** A Patient's data key (DEK), wrapped by one TEK version. */
export interface StoredSubjectKey {
  version: number;
  wrappedKey: Buffer;
  tekVersion: number;
}

export interface StoredSubject {
  /** Set once the Patient's keys were shredded; `keys` is then empty. */
  shreddedAt: Date | null;
  keys: StoredSubjectKey[];
}

/** A tenant-level key found wrapped under some other KEK version, for KEK rotation. */
export interface KekWrapping extends StoredTenantKey {
  kind: TenantKeyKind;
  tenantId: string;
}

/** What `ensureSubjectKey` found inside the caller's transaction. */
export interface EnsuredSubject extends StoredSubject {
  /** True when the key offered was inserted: visible only inside that transaction until it commits. */
  added: boolean;
  /** The Tenant as that transaction sees it; undefined when it has no keys at all. */
  tenant: { tekVersion: number; shredded: boolean } | undefined;
}

/**
 * A boolean SQL expression for a write's own statement (e.g. `AppendOptions.onlyIf` of the event
 * store), its parameters numbered from `$${first}` on; `name` tells its prepared statement apart.
 */
export interface WriteCondition {
  name: string;
  sql: (first: number) => string;
  values: unknown[];
}

/** `stale_tek`: the key was wrapped under a TEK that is no longer current (rotated or shredded). */
export type AddSubjectKeyResult = 'added' | 'exists' | 'shredded' | 'stale_tek';

/**
 * Where wrapped keys live: the owning service's schema. It stores opaque wrapped bytes only and
 * never sees key material. `Tx` is the transaction handle (a pg client for the Postgres store), so
 * provisioning and shredding can join the caller's transaction.
 */
export interface KeyStore<Tx = unknown> {
  /** Runs fn in a transaction: the caller's (`client`, already inside BEGIN) or a new one. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, client?: Tx): Promise<T>;
  /**
   * A new transaction for `Keyring.writeWithSubjectKeys`, which may send its BEGIN with the first
   * statement (`ensureSubjectKey`'s). Optional: `transaction` otherwise.
   */
  writeTransaction?<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  loadTenant(tenantId: string): Promise<StoredTenant | undefined>;
  /** Inserts a Tenant with TEK v1 and its blind-index key; false when the Tenant exists already. */
  createTenant(
    tx: Tx,
    tenantId: string,
    tek: StoredTenantKey,
    blindIndexKey: StoredTenantKey,
  ): Promise<boolean>;
  /** Adds TEK `tek.version` (= current + 1) and makes it current; false if another rotation won. */
  addTek(tenantId: string, tek: StoredTenantKey): Promise<boolean>;
  /** Deletes TEK versions below `version`; false while some data key still references one. */
  dropTeksBelow(tenantId: string, version: number): Promise<boolean>;
  /** Tenant-level keys wrapped under any KEK version other than `kekRef`. */
  listKekWrappingsNotUnder(kekRef: string, limit: number): Promise<KekWrapping[]>;
  /** Compare-and-set on (kind, tenant, version, old kekRef); false when it changed meanwhile. */
  replaceKekWrapping(old: KekWrapping, next: Omit<StoredTenantKey, 'version'>): Promise<boolean>;
  loadSubject(tenantId: string, subjectId: string): Promise<StoredSubject>;
  /**
   * Several Patients' keys in one read (a page of search results); every id asked for is in the
   * map. Optional: a store without it is read one Patient at a time.
   */
  loadSubjects?(tenantId: string, subjectIds: readonly string[]): Promise<Map<string, StoredSubject>>;
  /** Adds a data key wrapped under the current TEK, unless the Patient was shredded (serialised with shredding). */
  addSubjectKey(tenantId: string, subjectId: string, key: StoredSubjectKey): Promise<AddSubjectKeyResult>;
  /**
   * Adds many Patients' first data keys in one transaction (a bulk import), each as `addSubjectKey`
   * would: serialised with shredding, refused for a shredded Patient or a stale TEK. Optional: a
   * store without it adds them one at a time.
   */
  addSubjectKeys?(
    tenantId: string,
    keys: readonly { subjectId: string; key: StoredSubjectKey }[],
  ): Promise<Map<string, AddSubjectKeyResult>>;
  /**
   * Inside the caller's open transaction `tx`: takes the Patient's shred lock (held until `tx`
   * ends), then reads the Patient's keys, inserting `key` first when the Patient has none, is not
   * shredded and `key.tekVersion` is the Tenant's current TEK. Commits nothing: the key lives or
   * dies with what the caller writes in `tx`. Optional: a store without it creates keys apart.
   */
  ensureSubjectKey?(
    tx: Tx,
    tenantId: string,
    subjectId: string,
    key: StoredSubjectKey,
  ): Promise<EnsuredSubject>;
  /**
   * The condition that, inside the one statement of a new Patient's first write, stores `key` as
   * `ensureSubjectKey` would (shred lock, then insert when the Patient has no key, is not shredded
   * and `key.tekVersion` is current) and is true only when it went in: the key commits with that
   * write or not at all. Optional (Postgres: `cryptoKeyOfferSql` must be migrated).
   */
  offerSubjectKey?(tenantId: string, subjectId: string, key: StoredSubjectKey): WriteCondition;
  /** Data keys wrapped by a TEK version below `tekVersion`. */
  listSubjectKeysBelowTek(
    tenantId: string,
    tekVersion: number,
    limit: number,
  ): Promise<(StoredSubjectKey & { subjectId: string })[]>;
  /** Compare-and-set on (subject, version, old TEK version). */
  replaceSubjectWrapping(
    tenantId: string,
    subjectId: string,
    old: StoredSubjectKey,
    next: Omit<StoredSubjectKey, 'version'>,
  ): Promise<boolean>;
  /** Deletes the Patient's data keys and leaves a tombstone; idempotent. */
  shredSubject(
    tx: Tx,
    tenantId: string,
    subjectId: string,
  ): Promise<{ dekVersions: number; shreddedAt: Date }>;
  /** Deletes every key of the Tenant and marks it shredded; undefined when the Tenant is unknown. */
  shredTenant(tx: Tx, tenantId: string): Promise<{ dekVersions: number; shreddedAt: Date } | undefined>;
}
