import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { kubeconformBin, parseObjects, REPO_ROOT } from './render.js';

export const KUBERNETES_VERSION = '1.32.2';

/**
 * The offline schemas: MEDSPA_K8S_SCHEMAS, else the workspace's ../shared/k8s-schemas (beside the
 * clone, as on the team's machines and in CI); undefined when it has no schemas.
 */
export function schemaLocation(): string | undefined {
  const fromEnv = process.env.MEDSPA_K8S_SCHEMAS;
  const dir =
    fromEnv !== undefined && fromEnv !== ''
      ? fromEnv
      : path.resolve(REPO_ROOT, '..', 'shared', 'k8s-schemas');
  const present = existsSync(
    path.join(dir, `v${KUBERNETES_VERSION}-standalone-strict`, 'deployment-apps-v1.json'),
  );
  return present ? dir : undefined;
}

export interface Validation {
  validator: 'kubeconform' | 'kubernetes-models';
  problems: string[];
  validated: number;
}

// Custom resources without an offline schema; everything else must have one.
const NO_SCHEMA_KINDS = ['ExternalSecret'];

/** Validates rendered manifests: kubeconform -strict offline, or kubernetes-models without the schemas. */
export async function validateManifests(text: string): Promise<Validation> {
  const location = schemaLocation();
  if (location !== undefined) {
    const result = spawnSync(
      kubeconformBin(),
      [
        '-strict',
        '-summary',
        '-output',
        'json',
        '-kubernetes-version',
        KUBERNETES_VERSION,
        '-schema-location',
        location,
        '-skip',
        NO_SCHEMA_KINDS.join(','),
      ],
      { input: text, encoding: 'utf8' },
    );
    const report = JSON.parse(result.stdout) as {
      resources?: { kind: string; name: string; status: string; msg: string }[];
      summary: { valid: number; invalid: number; errors: number };
    };
    const problems = (report.resources ?? [])
      .filter((r) => r.status !== 'statusValid' && r.status !== 'statusSkipped')
      .map((r) => `${r.kind} ${r.name}: ${r.msg}`);
    if (result.status !== 0 && problems.length === 0) problems.push(result.stderr || 'kubeconform failed');
    return { validator: 'kubeconform', problems, validated: report.summary.valid };
  }
  // Fallback: the models' generated validators (types and required fields; unknown fields pass).
  const problems: string[] = [];
  let validated = 0;
  for (const object of parseObjects(text)) {
    if (NO_SCHEMA_KINDS.includes(object.kind)) continue;
    const [group, version] = object.apiVersion.includes('/')
      ? object.apiVersion.split('/')
      : [undefined, object.apiVersion];
    const modulePath = ['kubernetes-models', group, version, object.kind].filter(Boolean).join('/');
    try {
      const models = (await import(modulePath)) as Record<string, new (o: unknown) => { validate(): void }>;
      const Model = models[object.kind];
      if (Model === undefined) throw new Error(`no model for ${object.kind}`);
      new Model(object).validate();
      validated++;
    } catch (error) {
      problems.push(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`);
    }
  }
  return { validator: 'kubernetes-models', problems, validated };
}
