import { describe, expect, it } from 'vitest';
import {
  CONFIGURATIONS,
  ofKind,
  parseObjects,
  renderConfiguration,
  renderText,
  type Configuration,
  type K8sObject,
} from './render.js';
import { findInlinedSecrets } from './secrets.js';

interface Container {
  name: string;
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}
interface Probe {
  grpc?: { port: number };
  httpGet?: { path: string; port: string };
}
interface PodSpec {
  securityContext: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  containers: Container[];
  initContainers?: Container[];
  volumes: { name: string; emptyDir?: unknown }[];
}

const podSpecOf = (o: K8sObject): PodSpec => (o.spec as { template: { spec: PodSpec } }).template.spec;
const workloads = (objects: K8sObject[]) => [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')];

describe.each(Object.keys(CONFIGURATIONS) as Configuration[])(
  'pods in the %s configuration',
  (configuration) => {
    const objects = renderConfiguration(configuration);

    it('run as non-root with seccomp RuntimeDefault, a read-only root, no capabilities and /tmp on an emptyDir', () => {
      expect(workloads(objects).length).toBeGreaterThanOrEqual(9);
      for (const workload of workloads(objects)) {
        const pod = podSpecOf(workload);
        expect(pod.securityContext).toMatchObject({
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(pod.automountServiceAccountToken).toBe(false);
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          expect(container.securityContext, `${workload.metadata.name}/${container.name}`).toMatchObject({
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          });
          expect(container.securityContext?.capabilities).not.toHaveProperty('add');
        }
        const tmp = pod.containers[0]?.volumeMounts?.find((m) => m.mountPath === '/tmp');
        expect(pod.volumes.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
      }
    });

    it('probe gRPC services natively on the port named grpc and the gateway over HTTP on http', () => {
      const grpcTls = configuration === 'aws';
      for (const deployment of ofKind(objects, 'Deployment')) {
        const [container] = podSpecOf(deployment).containers;
        if (container === undefined) throw new Error('no container');
        const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe];
        if (container.name === 'gateway') {
          expect(container.ports?.find((p) => p.name === 'http')).toBeDefined();
          for (const probe of probes) expect(probe?.httpGet?.port).toBe('http');
          expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
          continue;
        }
        // With mutual TLS the probes use the plaintext health-only port (kubelet has no client cert).
        const probePortName = grpcTls ? 'grpc-health' : 'grpc';
        const port = container.ports?.find((p) => p.name === probePortName)?.containerPort;
        expect(container.ports?.find((p) => p.name === 'grpc')).toBeDefined();
        expect(port, container.name).toBeDefined();
        for (const probe of probes) expect(probe?.grpc?.port).toBe(port);
      }
    });

    it('give the local KMS keys and the audit signing key to the service as private (0600) copies', () => {
      const privateDirs: Record<string, string[]> = {
        identity: configuration === 'aws' ? [] : ['kms'],
        'patient-record': configuration === 'aws' ? [] : ['kms'],
        audit: ['audit'],
      };
      for (const deployment of ofKind(objects, 'Deployment')) {
        const pod = podSpecOf(deployment);
        const name = pod.containers[0]?.name ?? '';
        const dirs = privateDirs[name] ?? [];
        const init = pod.initContainers?.find((c) => c.name === 'private-files');
        if (dirs.length === 0) {
          expect(init, name).toBeUndefined();
          continue;
        }
        expect((init as { command?: string[] } | undefined)?.command?.join(' ')).toContain('chmod 0600');
        for (const dir of dirs) {
          const mount = pod.containers[0]?.volumeMounts?.find(
            (m) => m.mountPath === `/var/run/medspa/${dir}`,
          );
          expect(pod.volumes.find((v) => v.name === mount?.name)?.emptyDir, `${name} ${dir}`).toBeDefined();
          expect(init?.volumeMounts?.map((m) => m.mountPath)).toEqual(
            expect.arrayContaining([`/var/run/medspa/${dir}`, `/var/run/medspa/src/${dir}`]),
          );
        }
      }
    });

    it('take secrets only by reference from the named Secret', () => {
      expect(ofKind(objects, 'Secret')).toEqual([]);
      expect(findInlinedSecrets(objects)).toEqual([]);
      for (const workload of workloads(objects)) {
        for (const container of podSpecOf(workload).containers) {
          for (const env of container.env ?? []) {
            if (/DATABASE_URL|REDIS_URL|PASSWORD/.test(env.name)) {
              expect(env.value).toBeUndefined();
              expect(env.valueFrom?.secretKeyRef?.name).toBe('medspa-secrets');
            }
          }
        }
      }
    });
  },
);

describe('the inlined-secret detector', () => {
  it('finds a credential planted in a ConfigMap value', () => {
    const planted = renderText([
      ...CONFIGURATIONS.local,
      '--set',
      'services.gateway.env.UPSTREAM=postgres://app:hunter2@db:5432/medspa',
    ]);
    expect(findInlinedSecrets(parseObjects(planted))).toEqual([
      expect.stringContaining('ConfigMap medspa-gateway: UPSTREAM'),
    ]);
  });
});
