import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envPrefix, LOCAL_SERVICES } from '../../infra/run/local-services.js';
import { CHART_DIR, REPO_ROOT } from './render.js';

/** What a service's code shows it calls, read from its source (tests and fixtures excluded). */
export interface CodePeers {
  /** Services whose `<NAME>_GRPC_ADDR` the code reads. */
  grpc: Set<string>;
  /** Verifies access tokens (libs/config's tokenVerificationConfig): calls identity's GetJwks. */
  verifiesTokens: boolean;
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });

/** The peers service `name` reads from its environment, by scanning its src/ for the keys. */
export function codePeersOf(name: string): CodePeers {
  const byPrefix = new Map(LOCAL_SERVICES.map((s) => [envPrefix(s.name), s.name]));
  const grpc = new Set<string>();
  let verifiesTokens = false;
  for (const file of sourceFiles(path.join(REPO_ROOT, 'services', name, 'src'))) {
    const text = readFileSync(file, 'utf8');
    // The chart gives verifiers IDENTITY_GRPC_ADDR (never JWKS_URL): identity is then a peer.
    if (/\btokenVerificationConfig\b/.test(text)) verifiesTokens = true;
    for (const match of text.matchAll(/\b([A-Z][A-Z0-9_]*)_GRPC_ADDR\b/g)) {
      const prefix = match[1] ?? '';
      const peer = byPrefix.get(prefix);
      if (peer === undefined) {
        throw new Error(`${file} reads ${prefix}_GRPC_ADDR, a service the chart does not know`);
      }
      if (peer !== name) grpc.add(peer);
    }
  }
  if (verifiesTokens && name !== 'identity') grpc.add('identity');
  return { grpc, verifiesTokens };
}

/** A service as values.yaml declares it (the chart's single list of who calls whom). */
export interface DeclaredService {
  create: boolean;
  protocol: 'grpc' | 'http';
  database: boolean;
  peers: string[];
  verifiesTokens: boolean;
  kafka: boolean;
  redis: boolean;
  /** Wraps keys with a KEK: gets KMS_PROVIDER and that provider's keys. */
  kmsKeys: boolean;
}

export function declaredServices(): Record<string, DeclaredService> {
  const values = parse(readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8')) as {
    services: Record<string, DeclaredService>;
  };
  return values.services;
}
