import type { K8sObject } from './render.js';

// What a secret value looks like when it is inlined: credentials in a URL, key material, or a
// variable named like a secret that carries a literal value.
const SECRET_VALUE = [
  /:\/\/[^/\s:@]+:[^/\s@]+@/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\bAKIA[0-9A-Z]{16}\b/,
];
const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|DATABASE_URL|REDIS_URL)$/;

/** Every place in rendered objects where a secret value appears inline (`Kind name: KEY`). */
export function findInlinedSecrets(objects: readonly K8sObject[]): string[] {
  const found: string[] = [];
  const visit = (where: string, value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (SECRET_VALUE.some((pattern) => pattern.test(value))) found.push(`${where}: ${key}`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(where, item, key === '' ? String(i) : key));
      return;
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      // An env entry { name, value } named like a secret must use valueFrom instead.
      if (typeof record.name === 'string' && SECRET_NAME.test(record.name) && 'value' in record) {
        found.push(`${where}: ${record.name}`);
      }
      for (const [k, v] of Object.entries(record)) visit(where, v, k);
    }
  };
  for (const object of objects) {
    const where = `${object.kind} ${object.metadata.name}`;
    if (object.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries((object.data as Record<string, string> | undefined) ?? {})) {
        if (SECRET_NAME.test(k)) found.push(`${where}: ${k}`);
        else visit(where, v, k);
      }
      continue;
    }
    visit(where, object, '');
  }
  return found;
}
