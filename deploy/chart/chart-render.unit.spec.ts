import { describe, expect, it } from 'vitest';
import {
  CONFIGURATIONS,
  lint,
  ofKind,
  render,
  renderConfiguration,
  renderText,
  REQUIRED_SETTINGS,
  type Configuration,
} from './render.js';
import { validateManifests } from './validate.js';

const SERVICES = ['identity', 'gateway', 'scheduling', 'patient-record', 'audit'];
const WITH_DATABASE = ['identity', 'scheduling', 'patient-record', 'audit', 'gateway'];
const set = (...settings: string[]) => settings.flatMap((s) => ['--set', s]);
const required = set(...REQUIRED_SETTINGS);

describe.each(Object.keys(CONFIGURATIONS) as Configuration[])('the %s configuration', (configuration) => {
  it('passes helm lint --strict', () => {
    expect(lint(CONFIGURATIONS[configuration])).toMatch(/0 chart\(s\) failed/);
  });

  it('renders manifests that validate against the Kubernetes 1.32 schemas', async () => {
    const result = await validateManifests(renderText(CONFIGURATIONS[configuration]));
    expect(result.problems).toEqual([]);
    expect(result.validated).toBeGreaterThan(30);
  });

  it('renders one template set per service', () => {
    const objects = renderConfiguration(configuration);
    for (const kind of ['ServiceAccount', 'Deployment', 'Service', 'ConfigMap', 'PodDisruptionBudget']) {
      expect(ofKind(objects, kind).map((o) => o.metadata.labels?.['app.kubernetes.io/name'])).toEqual(
        expect.arrayContaining(SERVICES),
      );
      expect(ofKind(objects, kind)).toHaveLength(SERVICES.length);
    }
    const jobs = ofKind(objects, 'Job');
    expect(jobs.map((j) => j.metadata.labels?.['app.kubernetes.io/name']).sort()).toEqual(
      [...WITH_DATABASE].sort(),
    );
    for (const job of jobs) {
      expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      const podSpec = (job.spec as { template: { spec: { containers: { args: string[] }[] } } }).template
        .spec;
      expect(podSpec.containers[0]?.args).toEqual(['migrate']);
    }
  });
});

it('the validator finds a malformed manifest', async () => {
  const bad = renderText(required).replace(/containerPort: 50051/, 'containerPort: grpc-port');
  const result = await validateManifests(bad);
  expect(result.problems).toEqual([expect.stringMatching(/^Deployment medspa-\S+: .*containerPort/)]);
});

describe('toggles and refusals', () => {
  it('drops every object of a service whose create is false', () => {
    const objects = render([...required, '--set', 'services.scheduling.create=false']);
    expect(objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'scheduling')).toEqual([]);
    expect(ofKind(objects, 'Deployment')).toHaveLength(4);
  });

  it('scales with an HPA unless autoscaling is off (audit never scales out)', () => {
    const hpas = ofKind(render(required), 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.metadata.name).sort()).toEqual(
      ['gateway', 'identity', 'patient-record', 'scheduling'].map((s) => `medspa-${s}`),
    );
    expect(ofKind(renderConfiguration('local'), 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('requires the Secret name: the schema refuses the bare defaults', () => {
    expect(() => renderText([])).toThrow(/secrets\/name/);
  });

  it.each([
    ['postgres.requireTls=false', /postgres\/requireTls/],
    ['kafka.tls=false', /kafka\/tls/],
    ['redis.tls=false', /redis\/tls/],
    ['grpcTls.enabled=false', /grpcTls\/enabled/],
  ])('refuses plaintext in the AWS values: %s', (setting, message) => {
    expect(() => renderText([...CONFIGURATIONS.aws, '--set', setting])).toThrow(message);
  });

  it('refuses an ingress without TLS when transport encryption is required', () => {
    expect(() => renderText([...CONFIGURATIONS.aws, '--set', 'ingress.tls.secretName='])).toThrow(
      /ingress.tls.secretName/,
    );
  });

  it('refuses AWS KMS without a KEK for a service that wraps keys; kms.keyArn is the default', () => {
    const noIdentityKek = [...CONFIGURATIONS.aws, '--set', 'services.identity.kmsKeyArn='];
    expect(() => renderText(noIdentityKek)).toThrow(
      /identity needs services.identity.kmsKeyArn or kms.keyArn/,
    );
    const fallback = 'arn:aws:kms:us-east-1:123456789012:alias/medspa';
    const configMap = render([...noIdentityKek, '--set', `kms.keyArn=${fallback}`]).find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === 'medspa-identity',
    );
    expect((configMap?.data as Record<string, string>).AWS_KMS_KEY_ID).toBe(fallback);
  });

  it('refuses a local KMS service without its KEK id', () => {
    expect(() => renderText([...required, '--set', 'services.identity.kmsKeyId=null'])).toThrow(
      /services.identity.kmsKeyId is required/,
    );
  });

  it('refuses a token-verifying service that does not reach identity for the key set', () => {
    expect(() => renderText([...required, '--set-json', 'services.scheduling.peers=[]'])).toThrow(
      /scheduling verifies tokens, so services.scheduling.peers must list identity/,
    );
  });

  it('refuses a secret-looking key in a service env (secrets come by reference only)', () => {
    expect(() =>
      renderText([...required, '--set', 'services.identity.env.DATABASE_URL=postgres://x']),
    ).toThrow(/invalid propertyName 'DATABASE_URL'/);
  });

  it('renders an ExternalSecret that fills the named Secret when asked to', () => {
    const [externalSecret] = ofKind(renderConfiguration('aws'), 'ExternalSecret');
    expect(externalSecret?.metadata.name).toBe('medspa-secrets');
    expect(externalSecret?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(ofKind(renderConfiguration('local'), 'ExternalSecret')).toEqual([]);
  });

  it('exposes only the gateway through the Ingress', () => {
    const ingresses = ofKind(renderConfiguration('aws'), 'Ingress');
    expect(ingresses).toHaveLength(1);
    expect(JSON.stringify(ingresses[0])).toContain('"name":"medspa-gateway"');
    expect((ingresses[0]?.spec as { tls?: unknown[] }).tls).toHaveLength(1);
  });
});
