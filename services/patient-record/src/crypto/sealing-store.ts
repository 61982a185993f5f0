import { subjectCipher, type Keyring } from '@medspa/crypto';
import { pgCode, type Pool, type Queryable } from '@medspa/db';
import { errors } from '@medspa/errors';
import {
  AppendConditionUnmet,
  createEventStore,
  DuplicateEventIds,
  DuplicateStreamsEventIds,
  type AppendCondition,
  type AppendResult,
  type EventStore,
  type EventStoreOptions,
} from '@medspa/eventstore';
import { createPhiCodec, patientsSealedBy, type PhiCodecOptions } from './phi-codec.js';

// A TEK dropped by a rotation or a Tenant shred under the key being stored.
const FOREIGN_KEY_VIOLATION = '23503';

export interface SealingStoreOptions<Tx extends Queryable> extends PhiCodecOptions {
  schema: string;
  keyring: Pick<Keyring<Tx>, 'cachedSubjectKeys' | 'writeWithSubjectKeys' | 'offerSubjectKey'>;
  toOutbox: EventStoreOptions['toOutbox'];
}

/**
 * The event store whose appends seal PHI fields (phi-codec.ts). A write for a patient whose key
 * is cached appends as usual, in one statement; otherwise (a new patient, a cold cache) the key is
 * read, or made, inside the append's own transaction (the caller's `db`, or one opened here):
 * no second commit and a handful of round trips fewer, and a key whose append rolls back rolls
 * back with it, never cached, so it can seal nothing else. A new patient's registration (`no_stream`,
 * one patient, no caller's transaction) goes further: sealed under a freshly made key that its own
 * append statement stores, under the shred lock, only if the patient has no key yet (one round
 * trip, as an unencrypted append); when it did not go in, the keyed transaction decides.
 */
export function createSealingStore<Tx extends Queryable>(
  pool: Pool,
  options: SealingStoreOptions<Tx>,
): EventStore {
  const { schema, keyring, toOutbox } = options;
  const base = createEventStore(pool, { schema, codec: createPhiCodec(options), toOutbox });
  const sealingWith = (keysOf: Parameters<Parameters<typeof keyring.writeWithSubjectKeys>[1]>[1]) =>
    createEventStore(pool, {
      schema,
      codec: createPhiCodec(options, async (_tenantId, patientId) => subjectCipher(await keysOf(patientId))),
      toOutbox,
    });

  /** Patients of these events without cached keys: their appends need the keyed transaction. */
  async function uncached(tenantId: string, patients: string[]): Promise<string[]> {
    const keys = await Promise.all(patients.map((p) => keyring.cachedSubjectKeys(tenantId, p)));
    return patients.filter((_, i) => keys[i] === undefined);
  }

  /** Runs `write` in the keyed transaction, every patient's keys taken first in sorted order. */
  async function keyed<T>(
    tenantId: string,
    patients: string[],
    db: unknown,
    write: (store: EventStore, db: Tx) => Promise<T>,
  ): Promise<T> {
    await options.provisionTenant(tenantId);
    return keyring.writeWithSubjectKeys(
      tenantId,
      async (tx, keysOf) => {
        for (const p of patients) await keysOf(p);
        return write(sealingWith(keysOf), tx);
      },
      // AppendOptions.db is a client inside the caller's transaction.
      { client: db as Tx | undefined },
    );
  }

  /**
   * `write` sealed under a new key for `patientId` that goes in with it, in its one statement;
   * undefined (nothing written) when the key did not go in: a key there already, a shred, a TEK
   * rotated or dropped meanwhile.
   */
  async function withOfferedKey(
    tenantId: string,
    patientId: string,
    write: (store: EventStore, onlyIf: AppendCondition) => Promise<AppendResult>,
  ): Promise<AppendResult | undefined> {
    await options.provisionTenant(tenantId);
    const offer = await keyring.offerSubjectKey(tenantId, patientId);
    if (offer === undefined) return undefined;
    const store = sealingWith(async (p) => {
      if (p !== patientId) throw errors.internal('UNEXPECTED_PATIENT', 'Sealing for another patient');
      return offer.keys;
    });
    let result: AppendResult;
    try {
      result = await write(store, offer.condition);
    } catch (e) {
      if (e instanceof AppendConditionUnmet || pgCode(e) === FOREIGN_KEY_VIOLATION) return undefined;
      throw e;
    }
    // A replay returned what an earlier append stored (under its own key); ours rolled back.
    if (!result.idempotentReplay) offer.stored();
    return result;
  }

  return {
    ...base,
    async append(streamId, streamType, expectedVersion, events, metadata, opts = {}) {
      const tenantId = metadata.tenantId;
      const patients = await uncached(tenantId, patientsSealedBy(events));
      if (patients.length === 0)
        return base.append(streamId, streamType, expectedVersion, events, metadata, opts);
      if (patients.length === 1 && expectedVersion === 'no_stream' && opts.db === undefined) {
        const made = await withOfferedKey(tenantId, patients[0]!, (store, onlyIf) =>
          store.append(streamId, streamType, expectedVersion, events, metadata, { ...opts, onlyIf }),
        );
        if (made !== undefined) return made;
      }
      try {
        return await keyed(tenantId, patients, opts.db, (store, db) =>
          store.append(streamId, streamType, expectedVersion, events, metadata, { ...opts, db }),
        );
      } catch (e) {
        // A retry of an append that happened: its keys are committed, and the plain path resolves it.
        if (e instanceof DuplicateEventIds && opts.db === undefined)
          return base.append(streamId, streamType, expectedVersion, events, metadata, opts);
        throw e;
      }
    },
    async appendStreams(streams, metadata, opts = {}) {
      const tenantId = metadata.tenantId;
      const patients = await uncached(tenantId, patientsSealedBy(streams.flatMap((s) => s.events)));
      if (patients.length === 0) return base.appendStreams(streams, metadata, opts);
      try {
        return await keyed(tenantId, patients, opts.db, (store, db) =>
          store.appendStreams(streams, metadata, { db }),
        );
      } catch (e) {
        if (e instanceof DuplicateStreamsEventIds && opts.db === undefined)
          return base.appendStreams(streams, metadata, opts);
        throw e;
      }
    },
  };
}
