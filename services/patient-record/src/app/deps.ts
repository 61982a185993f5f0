import type { FieldCipher, Keyring } from '@medspa/crypto';
import type { Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';

/** What the handlers work with; made once by service.ts. */
export interface AppDeps {
  pool: Pool;
  schema: string;
  /** The store with the PHI codec: deciders and queries see plaintext, the log holds ciphertext. */
  store: EventStore;
  keyring: Pick<Keyring, 'blindIndexKey'>;
  fields: FieldCipher;
  /** The outbox topic of access events (`medspa.patient-record.events.v1`, prefixed in tests). */
  topic: string;
  now: () => Date;
}
