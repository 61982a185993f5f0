import { KMSClient } from '@aws-sdk/client-kms';
import { createServiceTokenSigner } from '@medspa/auth';
import { IdentityServiceClient } from '@medspa/contracts/medspa.identity.v1';
import { ensureAwsKek } from '@medspa/crypto';
import { newId } from '@medspa/eventstore';
import { createGrpcClient } from '@medspa/grpc';
import { createLogger } from '@medspa/observability';
import { createServiceDatabase, type ServiceDatabase } from '@medspa/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalKms, type RunningLocalKms } from '../../../infra/local-kms.js';
import { migrations } from '../migrations/index.js';
import { loadIdentityConfig, type IdentityConfig } from './config.js';
import { startService, type IdentityHandle } from './service.js';

// Identity as the chart's AWS values run it (KMS_PROVIDER=aws), against the local-kms emulator:
// its signing keys and the clinics' keys are wrapped by the AWS KEK and unwrap again after a restart.

const ISSUER = 'https://identity.aws-test.medspa.local';
const PASSWORD = 'a sturdy passphrase for staff';
const ARN = /^arn:aws:kms:eu-west-2:111122223333:key\//;

let emulator: RunningLocalKms;
let db: ServiceDatabase;
let admin: pg.Client;
let config: IdentityConfig;
let kekArn: string;
const logger = createLogger({ service: 'identity', level: 'silent' });

beforeAll(async () => {
  emulator = await startLocalKms();
  // In the cluster the credentials come from the pod's IAM role; the emulator takes any.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  const alias = `alias/identity-kek-${newId()}`;
  const bootstrap = new KMSClient({ endpoint: emulator.endpoint, region: emulator.region });
  kekArn = await ensureAwsKek(bootstrap, alias);
  bootstrap.destroy();
  db = await createServiceDatabase('identity', migrations);
  admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  config = loadIdentityConfig({
    DATABASE_URL: db.appUrl,
    IDENTITY_ISSUER: ISSUER,
    KMS_PROVIDER: 'aws',
    AWS_KMS_KEY_ID: alias,
    AWS_REGION: emulator.region,
    AWS_KMS_ENDPOINT: emulator.endpoint,
    // Never read with aws: a directory that does not exist proves no local key file is used.
    KMS_LOCAL_DIR: `/nonexistent/identity-kms-${newId()}`,
  });
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await db?.drop();
  await emulator?.stop();
  vi.unstubAllEnvs();
});

const start = () => startService(config, { logger, listenAddress: '127.0.0.1:0' });

async function platformToken(service: IdentityHandle): Promise<string> {
  const { kid, privateKey } = await service.keys.signingKey();
  const signer = createServiceTokenSigner({ serviceName: 'platform', privateKey, kid, issuer: ISSUER });
  return signer.tokenFor(newId());
}

describe('identity with KMS_PROVIDER=aws (local-kms)', () => {
  it('wraps signing and clinic keys with the AWS KEK, serves, and unwraps them after a restart', async () => {
    let service = await start();
    let client = createGrpcClient(IdentityServiceClient, `127.0.0.1:${service.port}`);
    try {
      const before = (await client.getJwks({})).keys.map((k) => k.kid).sort();
      expect(before).toHaveLength(2);

      const ownerEmail = `owner-${newId()}@clinic.example`;
      const withToken = createGrpcClient(IdentityServiceClient, `127.0.0.1:${service.port}`, {
        getToken: await platformToken(service).then((t) => () => t),
      });
      const { tenantId } = await withToken
        .createTenant({ name: 'Glow Aesthetics', ownerEmail, ownerPassword: PASSWORD })
        .finally(() => withToken.close());

      // Every wrapped key names the AWS key by its ARN (what Encrypt reports), none a local KEK.
      const refs = await admin.query<{ kek_ref: string }>(
        `SELECT kek_ref FROM identity.signing_keys
         UNION ALL SELECT kek_ref FROM identity.crypto_tenant_keys
         UNION ALL SELECT kek_ref FROM identity.crypto_blind_index_keys`,
      );
      expect(refs.rows.length).toBeGreaterThanOrEqual(4);
      for (const { kek_ref } of refs.rows) expect(kek_ref).toBe(kekArn);
      expect(kekArn).toMatch(ARN);

      // A restart unwraps the persisted keys from AWS KMS: same key set, and the owner's e-mail
      // (encrypted + blind-indexed under the clinic's AWS-wrapped keys) still finds the account.
      client.close();
      await service.stop();
      service = await start();
      client = createGrpcClient(IdentityServiceClient, `127.0.0.1:${service.port}`);
      expect((await client.getJwks({})).keys.map((k) => k.kid).sort()).toEqual(before);
      const signedIn = await client.signIn({ tenantId, email: ownerEmail, password: PASSWORD });
      expect(signedIn.result?.$case).toBe('enrolmentRequired');
    } finally {
      client.close();
      await service.stop();
    }
  }, 120_000);

  it('refuses to start when the AWS KEK does not exist', async () => {
    // A fresh database has no signing key yet: creating one needs the KEK, which is missing.
    const empty = await createServiceDatabase('identity', migrations);
    try {
      await expect(
        startService(
          { ...config, DATABASE_URL: empty.appUrl, AWS_KMS_KEY_ID: 'alias/no-such-identity-kek' },
          { logger, listenAddress: '127.0.0.1:0' },
        ),
      ).rejects.toMatchObject({ reason: 'KMS_KEY_NOT_FOUND' });
    } finally {
      await empty.drop();
    }
  }, 60_000);
});
