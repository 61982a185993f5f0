import { describe, expect, it } from 'vitest';
import { LOCAL_SERVICES } from '../../infra/run/local-services.js';
import { codePeersOf, declaredServices } from './peers.js';
import { CONFIGURATIONS, named, ofKind, render, renderConfiguration, type K8sObject } from './render.js';

interface PolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string };
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: { protocol: string; port: number | string }[];
}
interface PolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

const GRPC_PORT = 50051;
const declared = declaredServices();
const names = Object.keys(declared);
const specOf = (policy: K8sObject) => policy.spec as PolicySpec;

/** `service:port` for every in-release pod a rule list allows, e.g. `identity:50051`. */
const podAllows = (rules: PolicyRule[] = [], side: 'from' | 'to'): string[] =>
  rules
    .flatMap((rule) =>
      (rule[side] ?? [])
        .map((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'])
        .filter((peer): peer is string => peer !== undefined && peer !== undefined && !!peer)
        .flatMap((peer) => (rule.ports ?? []).map((p) => `${peer}:${String(p.port)}`)),
    )
    .sort();

const portsAllowed = (rules: PolicyRule[] = []) => rules.flatMap((r) => (r.ports ?? []).map((p) => p.port));

describe('the declared peers (values.yaml services.*.peers) agree with the code', () => {
  it.each(names)('%s', (name) => {
    const service = declared[name];
    const code = codePeersOf(name);
    const local = LOCAL_SERVICES.find((s) => s.name === name);
    expect(local, `${name} is not in infra/run/local-services.ts`).toBeDefined();
    expect(service?.database).toBe(local?.database);
    expect(service?.protocol).toBe(local?.grpc ? 'grpc' : 'http');
    expect(service?.verifiesTokens).toBe(code.verifiesTokens);
    if (name === 'gateway') {
      // The gateway fronts every service: it may call each backend, whatever it calls today.
      expect(service?.peers).toEqual(expect.arrayContaining([...code.grpc]));
      expect([...(service?.peers ?? [])].sort()).toEqual(names.filter((n) => n !== 'gateway').sort());
    } else {
      expect([...(service?.peers ?? [])].sort()).toEqual([...code.grpc].sort());
    }
  });

  it('covers every service make run starts', () => {
    expect(names.sort()).toEqual(LOCAL_SERVICES.map((s) => s.name).sort());
  });
});

describe.each(Object.keys(CONFIGURATIONS) as (keyof typeof CONFIGURATIONS)[])(
  'NetworkPolicies of the %s configuration',
  (configuration) => {
    const policies = ofKind(renderConfiguration(configuration), 'NetworkPolicy');

    it('deny everything by default for the release pods', () => {
      const deny = specOf(named(policies, 'NetworkPolicy', 'medspa-default-deny'));
      expect(deny.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'medspa' });
      expect(deny.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
      expect(deny.ingress).toBeUndefined();
      expect(deny.egress).toBeUndefined();
    });

    it('allow DNS to kube-dns only', () => {
      const dns = specOf(named(policies, 'NetworkPolicy', 'medspa-allow-dns'));
      expect(dns.egress).toHaveLength(1);
      expect(dns.egress?.[0]?.to?.[0]?.podSelector?.matchLabels).toEqual({ 'k8s-app': 'kube-dns' });
      expect(portsAllowed(dns.egress)).toEqual([53, 53]);
    });

    it.each(names)('allow exactly the calls %s makes and receives', (name) => {
      const service = declared[name]!;
      const spec = specOf(named(policies, 'NetworkPolicy', `medspa-${name}`));
      const expectedEgress = service.peers.map((peer) => `${peer}:${GRPC_PORT}`).sort();
      expect(podAllows(spec.egress, 'to')).toEqual(expectedEgress);

      const callers = names.filter((other) => declared[other]!.peers.includes(name));
      const portName = service.protocol === 'http' ? 'http' : 'grpc';
      expect(podAllows(spec.ingress, 'from')).toEqual(
        callers.map((caller) => `${caller}:${portName}`).sort(),
      );

      // Infrastructure: Postgres only with a database, Redis only for the gateway, Kafka for all.
      const infraPorts = portsAllowed(
        spec.egress?.filter((rule) => !rule.to?.some((p) => p.podSelector && !p.namespaceSelector)),
      );
      const { postgres, kafka, redis } =
        configuration === 'aws'
          ? { postgres: 5432, kafka: 9096, redis: 6379 }
          : { postgres: 5432, kafka: 9092, redis: 6379 };
      expect(infraPorts.includes(postgres)).toBe(service.database);
      expect(infraPorts.includes(redis)).toBe(service.redis);
      expect(infraPorts.includes(kafka)).toBe(service.kafka);
    });

    it('let only the ingress controller in from outside the release, to the gateway', () => {
      const outside = policies.flatMap((policy) =>
        (specOf(policy).ingress ?? [])
          .filter((rule) => rule.from?.some((peer) => peer.namespaceSelector || peer.ipBlock))
          .map(() => policy.metadata.name),
      );
      expect(outside).toEqual(['medspa-gateway']);
    });
  },
);

it('drops the allows to and from a service that is not created', () => {
  const policies = ofKind(
    render([...CONFIGURATIONS.local, '--set', 'services.scheduling.create=false']),
    'NetworkPolicy',
  );
  expect(policies.map((p) => p.metadata.name)).not.toContain('medspa-scheduling');
  expect(podAllows(specOf(named(policies, 'NetworkPolicy', 'medspa-audit')).egress, 'to')).toEqual([
    `identity:${GRPC_PORT}`,
    `patient-record:${GRPC_PORT}`,
  ]);
});

it('adds values-declared extra egress (the OTLP collector) to every service', () => {
  const policies = ofKind(
    render([
      ...CONFIGURATIONS.local,
      '--set',
      'networkPolicy.extraEgress[0].ports[0].port=4318',
      '--set',
      'networkPolicy.extraEgress[0].to[0].namespaceSelector.matchLabels.name=observability',
    ]),
    'NetworkPolicy',
  );
  for (const name of names) {
    expect(portsAllowed(specOf(named(policies, 'NetworkPolicy', `medspa-${name}`)).egress)).toContain(4318);
  }
});
