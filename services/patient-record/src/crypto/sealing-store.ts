import { subjectCipher, type Keyring } from '@medspa/crypto';
import type { Pool, Queryable } from '@medspa/db';
import {
  createEventStore,
  DuplicateEventIds,
  DuplicateStreamsEventIds,
  type EventStore,
  type EventStoreOptions,
} from '@medspa/eventstore';
import { createPhiCodec, patientsSealedBy, type PhiCodecOptions } from './phi-codec.js';

export interface SealingStoreOptions<Tx extends Queryable> extends PhiCodecOptions {
  schema: string;
  keyring: Pick<Keyring<Tx>, 'cachedSubjectKeys' | 'writeWithSubjectKeys'>;
  toOutbox: EventStoreOptions['toOutbox'];
}

/**
 * The event store whose appends seal PHI fields (phi-codec.ts). A write for a patient whose key
 * is cached appends as usual, in one statement; otherwise (a new patient, a cold cache) the key is
 * read, or made, inside the append's own transaction (the caller's `db`, or one opened here):
 * no second commit and a handful of round trips fewer, and a key whose append rolls back rolls
 * back with it, never cached, so it can seal nothing else.
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

  return {
    ...base,
    async append(streamId, streamType, expectedVersion, events, metadata, opts = {}) {
      const tenantId = metadata.tenantId;
      const patients = await uncached(tenantId, patientsSealedBy(events));
      if (patients.length === 0)
        return base.append(streamId, streamType, expectedVersion, events, metadata, opts);
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
