import { describe, expect, it } from 'vitest';
import { loadAuditConfig } from '../../services/audit/src/config.js';
import { loadGatewayConfig } from '../../services/gateway/src/config.js';
import { loadIdentityConfig } from '../../services/identity/src/config.js';
import { loadPatientRecordConfig } from '../../services/patient-record/src/config.js';
import { loadSchedulingConfig } from '../../services/scheduling/src/config.js';
import { declaredServices } from './peers.js';
import { CONFIGURATIONS, named, renderConfiguration, type Configuration, type K8sObject } from './render.js';

// Each service's own config loader (fail fast, every problem listed) reads the environment the chart
// gives its pod: the ConfigMap plus the Secret's keys (stand-in values of the right shape here).

const loaders: Record<string, (env: NodeJS.ProcessEnv) => unknown> = {
  identity: loadIdentityConfig,
  gateway: loadGatewayConfig,
  scheduling: loadSchedulingConfig,
  'patient-record': loadPatientRecordConfig,
  audit: loadAuditConfig,
};

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { key: string } };
}

const standIn = (key: string, configuration: Configuration): string => {
  if (key.endsWith('DATABASE_URL')) return 'postgres://app:stand-in@db:5432/medspa?sslmode=verify-full';
  if (key === 'REDIS_URL') return configuration === 'aws' ? 'rediss://redis:6379' : 'redis://redis:6379';
  // The gateway's keys: base64 of 32 bytes.
  if (key.endsWith('_KEY_SECRET') || key.endsWith('_SEAL_KEY')) return Buffer.alloc(32, 7).toString('base64');
  return 'stand-in';
};

function podEnv(objects: K8sObject[], name: string, configuration: Configuration): NodeJS.ProcessEnv {
  const configMap = named(objects, 'ConfigMap', `medspa-${name}`).data as Record<string, string>;
  const deployment = named(objects, 'Deployment', `medspa-${name}`);
  const [container] = (deployment.spec as { template: { spec: { containers: { env?: EnvVar[] }[] } } })
    .template.spec.containers;
  const env: NodeJS.ProcessEnv = { ...configMap };
  for (const variable of container?.env ?? []) {
    const key = variable.valueFrom?.secretKeyRef?.key;
    env[variable.name] = key === undefined ? variable.value : standIn(key, configuration);
  }
  return env;
}

describe.each(Object.keys(CONFIGURATIONS) as Configuration[])('the %s configuration', (configuration) => {
  const objects = renderConfiguration(configuration);

  it.each(Object.keys(loaders))('gives %s an environment its config loader accepts', (name) => {
    const env = podEnv(objects, name, configuration);
    expect(() => loaders[name]!(env)).not.toThrow();
  });

  it.each(Object.keys(loaders))('gives %s KMS keys only if it wraps keys, under one set of names', (name) => {
    const env = podEnv(objects, name, configuration);
    const kmsKeys = Object.keys(env).filter((k) => /^(KMS|AWS)_/.test(k));
    const expected =
      configuration === 'aws'
        ? ['AWS_KMS_KEY_ID', 'AWS_REGION', 'KMS_PROVIDER']
        : ['KMS_KEK_ID', 'KMS_LOCAL_DIR', 'KMS_PROVIDER'];
    const wrapsKeys = declaredServices()[name]!.kmsKeys;
    expect(kmsKeys.sort()).toEqual(wrapsKeys ? expected : []);
    if (wrapsKeys) {
      const config = loaders[name]!(env) as { KMS_PROVIDER: string };
      expect(config.KMS_PROVIDER).toBe(configuration === 'aws' ? 'aws' : 'local');
    }
  });

  it('gives identity and patient-record each its own KEK', () => {
    const kek = configuration === 'aws' ? 'AWS_KMS_KEY_ID' : 'KMS_KEK_ID';
    const identity = podEnv(objects, 'identity', configuration)[kek];
    const patientRecord = podEnv(objects, 'patient-record', configuration)[kek];
    expect(identity).toMatch(/identity/);
    expect(patientRecord).toMatch(/patient-record/);
  });

  it.each(Object.keys(loaders))('sets %s’s peer addresses and key-set URL and nothing more', (name) => {
    const env = podEnv(objects, name, configuration);
    const service = declaredServices()[name]!;
    const peerKeys = Object.keys(env).filter((k) => k.endsWith('_GRPC_ADDR'));
    expect(peerKeys.sort()).toEqual(
      service.peers.map((p) => `${p.toUpperCase().replaceAll('-', '_')}_GRPC_ADDR`).sort(),
    );
    // The key set comes from identity over gRPC (mutual TLS where enabled), never over plain HTTP.
    expect(env.JWKS_URL).toBeUndefined();
    if (service.verifiesTokens) expect(env.IDENTITY_GRPC_ADDR).toBe('medspa-identity:50051');
  });
});
