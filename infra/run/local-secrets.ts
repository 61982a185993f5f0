import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const read = (file: string): Record<string, string> =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};

/**
 * Secrets of the local run (database role passwords, the gateway's keys): generated once per
 * machine and kept (mode 0600) under .data/, never committed, so a restarted `make run` reconnects
 * to the same cluster and keeps its keys. Each write merges into the file as it is now, so several
 * readers of the file (the supervisor, a service's env) never drop each other's secrets.
 */
export function loadLocalSecrets(file: string): {
  rolePassword: (role: string) => string;
  /** A random key of `bytes` bytes, base64, under `name` (e.g. `gateway.IDEMPOTENCY_SEAL_KEY`). */
  key: (name: string, bytes: number) => string;
} {
  const secrets = read(file);
  const remembered = (name: string, create: () => string): string => {
    const existing = secrets[name] ?? read(file)[name];
    if (existing !== undefined) return (secrets[name] = existing);
    const created = create();
    secrets[name] = created;
    writeFileSync(file, JSON.stringify({ ...read(file), [name]: created }, null, 2), { mode: 0o600 });
    return created;
  };
  return {
    rolePassword: (role) => remembered(role, () => randomBytes(18).toString('base64url')),
    key: (name, bytes) => remembered(name, () => randomBytes(bytes).toString('base64')),
  };
}
