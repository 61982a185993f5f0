import type { FieldCipher, Keyring } from '@medspa/crypto';
import type { Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';
import type { DecodeEvents, ReadStreams } from '../crypto/read-streams.js';

/** What the handlers work with; made once by service.ts. */
export interface AppDeps {
  pool: Pool;
  schema: string;
  /** The store with the PHI codec: deciders and queries see plaintext, the log holds ciphertext. */
  store: EventStore;
  /** Several streams in one round trip, decrypted (opening a chart of many encounters). */
  readStreams: ReadStreams;
  /** Decrypts events read beside a read model (a chart's events newer than its sealed fold). */
  decodeEvents: DecodeEvents;
  /** Blind-index keys for search; shredSubject for erasure (in the caller's transaction). */
  keyring: Pick<Keyring, 'blindIndexKey' | 'shredSubject'>;
  fields: FieldCipher;
  /** The outbox topic of access events (`medspa.patient-record.events.v1`, prefixed in tests). */
  topic: string;
  now: () => Date;
}
