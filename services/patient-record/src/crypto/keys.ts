import {
  createFieldCipher,
  createKeyring,
  createLocalFileKms,
  createPgKeyStore,
  type FieldCipher,
  type Kms,
} from '@medspa/crypto';
import type { Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';
import { patientRecordOutbox } from '../adapters/integration-events.js';
import { purgePatientReadModels, purgeTenantReadModels } from '../projections/patient-directory/purge.js';
import { createPhiCodec } from './phi-codec.js';
import { createEventsDecoder, createStreamsReader } from './read-streams.js';
import { createSealingStore } from './sealing-store.js';

export interface CryptoSettings {
  /** The embedded-mode KMS's key file directory (KMS_LOCAL_DIR). */
  kmsKeyDir: string;
  kekId: string;
  /** Another KMS (tests, AWS); the local key files otherwise. */
  kms?: Kms;
}

/** The keyring, field cipher and PHI-encrypting event store of one pool. */
export function createRecordStore(pool: Pool, schema: string, settings: CryptoSettings, topicPrefix = '') {
  const kms = settings.kms ?? createLocalFileKms({ dir: settings.kmsKeyDir, autoCreate: true });
  const keyring = createKeyring({
    kms,
    kekId: settings.kekId,
    store: createPgKeyStore(pool, schema, { offerSubjectKeys: true }),
  });
  // Shredding purges the read models in the same transaction as the keys.
  keyring.onSubjectShredded((e, tx) => purgePatientReadModels(tx, schema, e.tenantId, e.subjectId));
  keyring.onTenantShredded((e, tx) => purgeTenantReadModels(tx, schema, e.tenantId));
  const fields: FieldCipher = createFieldCipher(keyring);
  const provisioned = new Set<string>();
  // Once per tenant and process: a tenant's keys are created on its first PHI write.
  const provisionTenant = async (tenantId: string) => {
    if (provisioned.has(tenantId)) return;
    await keyring.provisionTenant(tenantId);
    provisioned.add(tenantId);
  };
  const codec = createPhiCodec({ fields, provisionTenant });
  const store: EventStore = createSealingStore(pool, {
    schema,
    fields,
    provisionTenant,
    keyring,
    toOutbox: patientRecordOutbox(topicPrefix),
  });
  return {
    keyring,
    fields,
    store,
    readStreams: createStreamsReader(pool, schema, codec),
    decodeEvents: createEventsDecoder(codec),
  };
}
