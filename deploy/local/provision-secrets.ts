import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { provisionService } from '@medspa/db';
import { envPrefix, LOCAL_SERVICES } from '../../infra/run/local-services.js';

/** A Kubernetes Secret manifest (stringData; `kubectl apply` encodes it). */
export interface SecretManifest {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: 'Opaque';
  stringData: Record<string, string>;
}

const secret = (name: string, namespace: string, stringData: Record<string, string>): SecretManifest => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'medspa' } },
  type: 'Opaque',
  stringData,
});

const password = () => randomBytes(24).toString('base64url');

/**
 * Creates each service's schema and `<service>_owner` / `<service>_app` roles (fresh passwords)
 * through `adminUrl`, and returns the chart's `secrets.name` Secret with their URLs as the pods
 * reach the database (`clusterHost`, e.g. `medspa-pg-rw.medspa-data.svc:5432`).
 */
export async function databaseSecret(options: {
  adminUrl: string;
  clusterHost: string;
  namespace: string;
  redisUrl: string;
  name?: string;
}): Promise<SecretManifest> {
  const data: Record<string, string> = { REDIS_URL: options.redisUrl };
  for (const service of LOCAL_SERVICES.filter((s) => s.database)) {
    const roles = await provisionService(options.adminUrl, service.name, {
      ownerPassword: password(),
      appPassword: password(),
    });
    const inCluster = (url: string) => {
      const u = new URL(url);
      u.host = options.clusterHost;
      return u.toString();
    };
    data[`${envPrefix(service.name)}_DATABASE_URL`] = inCluster(roles.appUrl);
    data[`${envPrefix(service.name)}_MIGRATION_DATABASE_URL`] = inCluster(roles.ownerUrl);
  }
  // The gateway's own keys (values.yaml `secretEnv`), shared by its replicas.
  data.GATEWAY_RATE_LIMIT_KEY_SECRET = randomBytes(32).toString('base64');
  data.GATEWAY_IDEMPOTENCY_SEAL_KEY = randomBytes(32).toString('base64');
  return secret(options.name ?? 'medspa-secrets', options.namespace, data);
}

/** The local KMS's key-encryption keys (one 256-bit version each) and the audit signing key. */
export function keySecrets(namespace: string): SecretManifest[] {
  const kek = (keyId: string) =>
    JSON.stringify({
      format: 1,
      keyId,
      versions: [
        { version: 1, key: randomBytes(32).toString('base64'), createdAt: new Date().toISOString() },
      ],
    });
  const { privateKey } = generateKeyPairSync('ed25519');
  return [
    secret('medspa-kms-keys', namespace, {
      'identity-kek.json': kek('identity-kek'),
      'patient-record-kek.json': kek('patient-record-kek'),
    }),
    secret('medspa-audit-signing-key', namespace, {
      'signing-key.pem': privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    }),
  ];
}

// CLI (deploy/local/create-secrets.sh): prints the manifests as a JSON List for `kubectl apply -f -`.
if (process.argv[1]?.endsWith('provision-secrets.ts')) {
  const { values } = parseArgs({
    options: {
      'admin-url': { type: 'string' },
      'cluster-host': { type: 'string' },
      'redis-url': { type: 'string' },
      namespace: { type: 'string', default: 'medspa' },
      keys: { type: 'boolean', default: false },
    },
  });
  const namespace = values.namespace;
  const items: SecretManifest[] = [];
  if (values['admin-url'] !== undefined) {
    items.push(
      await databaseSecret({
        adminUrl: values['admin-url'],
        clusterHost: values['cluster-host'] ?? 'medspa-pg-rw.medspa-data.svc:5432',
        redisUrl: values['redis-url'] ?? 'redis://medspa-redis-master.medspa-data.svc:6379',
        namespace,
      }),
    );
  }
  if (values.keys) items.push(...keySecrets(namespace));
  process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n`);
}
