import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

// Helpers of the chart's unit tests: render with the helm binary deploy/chart-check.sh installs.

export const CHART_DIR = fileURLToPath(new URL('../../charts/medspa/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The values every render needs (the Secrets' names and the brokers); the rest are defaults. */
export const REQUIRED_SETTINGS = [
  'secrets.name=medspa-secrets',
  'secrets.kmsKeysSecret=medspa-kms-keys',
  'secrets.auditSigningKeySecret=medspa-audit-signing-key',
  'kafka.brokers=kafka:9092',
];

/** The three configurations CI renders and validates. */
export const CONFIGURATIONS = {
  defaults: REQUIRED_SETTINGS.flatMap((s) => ['--set', s]),
  local: ['-f', path.join(CHART_DIR, 'values-local.yaml')],
  aws: ['-f', path.join(CHART_DIR, 'values-aws.yaml')],
} as const satisfies Record<string, readonly string[]>;

export type Configuration = keyof typeof CONFIGURATIONS;

const tool = (envKey: string, name: string): string => {
  const bin = process.env[envKey];
  if (bin === undefined || !existsSync(bin)) {
    throw new Error(`${envKey} must name the ${name} binary: run these tests through deploy/chart-check.sh`);
  }
  return bin;
};

export const helmBin = (): string => tool('MEDSPA_HELM', 'helm');
export const kubeconformBin = (): string => tool('MEDSPA_KUBECONFORM', 'kubeconform');

/** A rendered Kubernetes object, loosely typed: the tests read paths they assert on. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** `helm template` output as text; throws with helm's message when the chart refuses the values. */
export function renderText(args: readonly string[], release = 'medspa'): string {
  const result = spawnSync(helmBin(), ['template', release, CHART_DIR, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return result.stdout;
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export const render = (args: readonly string[], release?: string): K8sObject[] =>
  parseObjects(renderText(args, release));

export const renderConfiguration = (name: Configuration): K8sObject[] => render(CONFIGURATIONS[name]);

export const ofKind = (objects: readonly K8sObject[], kind: string): K8sObject[] =>
  objects.filter((o) => o.kind === kind);

export const named = (objects: readonly K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} rendered`);
  return found;
};

/** `helm lint --strict` with the given values; returns helm's output, throws when it fails. */
export function lint(args: readonly string[]): string {
  return execFileSync(helmBin(), ['lint', '--strict', CHART_DIR, ...args], { encoding: 'utf8' });
}
