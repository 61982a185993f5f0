import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Passwords of the local run's database roles: generated once per machine and kept (mode 0600)
 * under .data/, never committed, so a restarted `make run` reconnects to the same cluster.
 */
export function loadLocalSecrets(file: string): { rolePassword: (role: string) => string } {
  const secrets: Record<string, string> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  return {
    rolePassword: (role) => {
      const existing = secrets[role];
      if (existing !== undefined) return existing;
      const created = randomBytes(18).toString('base64url');
      secrets[role] = created;
      writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
      return created;
    },
  };
}
