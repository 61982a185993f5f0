import { readFileSync } from 'node:fs';
import { freePort } from '../free-port.js';

/** Reads `KEY=value` lines, ignoring blanks and comments. */
export function parseEnvFile(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new Error(`Malformed line in ports file: ${line}`);
      return [line.slice(0, eq).trim(), line.slice(eq + 1).trim()] as const;
    });
  return Object.fromEntries(entries);
}

/**
 * The ports of the local run: the file's values, overridden by same-named environment variables;
 * `0` becomes a free port, so a test can run beside a developer's `make run`.
 */
export async function resolvePorts(file: string, env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const fromFile = parseEnvFile(readFileSync(file, 'utf8'));
  const ports: Record<string, number> = {};
  for (const [key, value] of Object.entries(fromFile)) {
    const raw = env[key] ?? value;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${key}=${raw} is not a port`);
    ports[key] = port === 0 ? await freePort() : port;
  }
  return ports;
}
