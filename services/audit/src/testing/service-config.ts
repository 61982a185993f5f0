import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadAuditConfig, type AuditConfig } from '../config.js';

/** A test's config of the audit service: its database as `audit_app`, a fresh signing key file. */
export function testAuditConfig(opts: { appUrl: string; sources: string[]; issuer: string }): AuditConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'medspa-audit-'));
  return loadAuditConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: opts.appUrl,
    // The tests pass their verifier in; the loader still wants one of the two sources.
    JWKS_URL: 'http://127.0.0.1:9/jwks.json',
    TOKEN_ISSUER: opts.issuer,
    AUDIT_SOURCES: opts.sources.join(','),
    AUDIT_SIGNING_KEY_FILE: path.join(dir, 'checkpoint-key.pem'),
    AUDIT_SIGNING_KEY_AUTO_CREATE: 'true',
    AUDIT_CHECKPOINT_EVERY: '1s',
    AUDIT_CHECKPOINT_ENTRIES: '50',
  });
}
