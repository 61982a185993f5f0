// The audit ingest in a process of its own, for the test that kills it (SIGKILL) mid-batch. It
// prints `started`, then `settled <id> <outcome>` per message.
import { createPool } from '@medspa/db';
import { createLogger } from '@medspa/observability';
import { createIngest } from '../ingest/ingest.js';
import { trustedKeysFromPem } from '../signing/checkpoint-signer.js';
import { createLocalFileSigner } from '../signing/local-file-signer.js';
import { createAuditStore } from '../store/append.js';
import { createCheckpointer } from '../store/checkpointer.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const pool = createPool(env('DATABASE_URL'), { applicationName: 'audit-ingest-process', max: 4 });
const consumerPool = createPool(env('DATABASE_URL'), { applicationName: 'audit-ingest-consumers', max: 6 });
const signer = createLocalFileSigner({ file: env('KEY_FILE') });
const checkpointer = createCheckpointer(pool, {
  signer,
  trustedKeys: trustedKeysFromPem([await signer.publicKeyPem()]),
  everyEntries: 40,
});
const ingest = createIngest({
  pool: consumerPool,
  store: createAuditStore(pool),
  checkpointer,
  sources: env('SOURCES').split(','),
  transport: { kind: 'postgres-tail', pollIntervalMs: 20 },
  maxBatch: 50,
  logger: createLogger({ service: 'audit-ingest-process', level: 'silent' }),
  onSettled: (m) => {
    process.stdout.write(`settled ${m.messageId} ${m.outcome}\n`);
  },
});
await ingest.start();
process.stdout.write('started\n');
