import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServiceTokenSigner, createTokenVerifier, type TokenVerifier } from '@medspa/auth';
import { IdentityServiceClient, type SessionTokens } from '@medspa/contracts/medspa.identity.v1';
import { createLocalFileKms, type Kms } from '@medspa/crypto';
import { newId } from '@medspa/eventstore';
import { createGrpcClient, type PromiseClient } from '@medspa/grpc';
import { createLogger } from '@medspa/observability';
import { captureLogs, createServiceDatabase, type LogCapture, type ServiceDatabase } from '@medspa/testing';
import pg from 'pg';
import { migrations } from '../../migrations/index.js';
import { loadIdentityConfig, type IdentityConfig } from '../config.js';
import { createTotp } from '../security/totp.js';
import { startService, type IdentityDeps, type IdentityHandle } from '../service.js';

type Client = PromiseClient<typeof IdentityServiceClient.service>;

/** A movable clock: real time plus an offset, so tokens stay verifiable by real-time code too. */
export interface TestClock {
  now: () => Date;
  advance: (seconds: number) => void;
}

export function testClock(): TestClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (seconds) => void (offsetMs += seconds * 1000),
  };
}

export const ISSUER = 'https://identity.test.medspa.local';
export const PASSWORD = 'a sturdy passphrase for staff';

/**
 * Identity running in process against its own real Postgres database, with a local-file KMS in a
 * temp directory, logs captured, and a movable clock. One per test file.
 */
export interface IdentityHarness {
  db: ServiceDatabase;
  clock: TestClock;
  kms: Kms;
  logs: LogCapture;
  service: IdentityHandle;
  config: IdentityConfig;
  /** A client sending `token` (or none). */
  client(token?: string): Client;
  /** A platform service token (`svc:platform`) signed with identity's own current key. */
  platformToken(): Promise<string>;
  /** A verifier as another service would build it, over GetJwks, with the harness clock. */
  verifier(options?: { audience?: string }): TokenVerifier;
  /** Restarts identity on the same database and KMS (keys must survive), optionally with other deps. */
  restart(deps?: Pick<IdentityDeps, 'hasher'>): Promise<void>;
  /** Events of the schema, for assertions. */
  events(type?: string): Promise<{ type: string; stream_id: string; data: Record<string, unknown> }[]>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<IdentityHarness> {
  const db = await createServiceDatabase('identity', migrations);
  const kmsDir = mkdtempSync(path.join(tmpdir(), 'identity-kms-'));
  const kms = createLocalFileKms({ dir: kmsDir });
  const clock = testClock();
  const logs = captureLogs({ stdio: false });
  const config = loadIdentityConfig({
    DATABASE_URL: db.appUrl,
    IDENTITY_ISSUER: ISSUER,
    KMS_LOCAL_DIR: kmsDir,
    LOG_LEVEL: 'info',
  });
  const logger = createLogger({ service: 'identity', level: 'info', destination: logs.destination });
  const start = (deps: Pick<IdentityDeps, 'hasher'> = {}) =>
    startService(config, { now: clock.now, kms, logger, listenAddress: '127.0.0.1:0', ...deps });
  let service = await start();
  const clients: Client[] = [];
  const admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();

  const client = (token?: string): Client => {
    const c = createGrpcClient(IdentityServiceClient, `127.0.0.1:${service.port}`, {
      getToken: () => token,
    });
    clients.push(c);
    return c;
  };

  return {
    db,
    clock,
    kms,
    logs,
    get service() {
      return service;
    },
    config,
    client,
    async platformToken() {
      const { kid, privateKey } = await service.keys.signingKey();
      const signer = createServiceTokenSigner({
        serviceName: 'platform',
        privateKey,
        kid,
        issuer: ISSUER,
        now: () => clock.now().getTime(),
      });
      return signer.tokenFor(newId());
    },
    verifier(options = {}) {
      const jwksClient = client();
      return createTokenVerifier({
        issuer: ISSUER,
        ...(options.audience === undefined ? {} : { audience: options.audience }),
        now: () => clock.now().getTime(),
        getJwks: async () => ({ keys: (await jwksClient.getJwks({})).keys.map((k) => ({ ...k })) }),
      });
    },
    async restart(deps) {
      await service.stop();
      service = await start(deps);
    },
    async events(type) {
      const { rows } = await admin.query<{ type: string; stream_id: string; data: Record<string, unknown> }>(
        `SELECT event_type AS type, stream_id, data FROM identity.events
         WHERE $1::text IS NULL OR event_type = $1 ORDER BY global_position`,
        [type ?? null],
      );
      return rows;
    },
    async close() {
      for (const c of clients) c.close();
      await admin.end();
      await service.stop();
      logs.stop();
      await db.drop();
      rmSync(kmsDir, { recursive: true, force: true });
    },
  };
}

/** A clinic with its owner, through CreateTenant. */
export async function createClinic(h: IdentityHarness, ownerEmail = `owner-${newId()}@clinic.example`) {
  const created = await h.client(await h.platformToken()).createTenant({
    name: 'Glow Aesthetics',
    ownerEmail,
    ownerPassword: PASSWORD,
  });
  return { ...created, ownerEmail };
}

const totp = createTotp({ issuer: 'test' });

/** The current TOTP code for a secret at the harness clock's time. */
export const codeFor = (h: IdentityHarness, secret: string): Promise<string> =>
  totp.generate(secret, h.clock.now());

/**
 * Signs a staff member in from scratch: password, enrolment-only token, TOTP enrolment, then a
 * second sign-in with the code. Returns the session tokens, the TOTP secret and the recovery codes.
 */
export async function enrolAndSignIn(
  h: IdentityHarness,
  input: { tenantId: string; email: string; password?: string },
): Promise<{ tokens: SessionTokens; secret: string; recoveryCodes: string[] }> {
  const password = input.password ?? PASSWORD;
  const first = await h.client().signIn({ tenantId: input.tenantId, email: input.email, password });
  if (first.result?.$case !== 'enrolmentRequired')
    throw new Error(`expected enrolment, got ${first.result?.$case}`);
  const enrolled = h.client(first.result.value.enrolmentToken);
  const { secret } = await enrolled.startTotpEnrolment({});
  const { recoveryCodes } = await enrolled.confirmTotpEnrolment({ code: await codeFor(h, secret) });
  h.clock.advance(30); // the confirming code's time step is used up
  const tokens = await signInWithTotp(h, { tenantId: input.tenantId, email: input.email, password, secret });
  return { tokens, secret, recoveryCodes };
}

/** Password, then TOTP. */
export async function signInWithTotp(
  h: IdentityHarness,
  input: { tenantId: string; email: string; password: string; secret: string },
): Promise<SessionTokens> {
  const challenge = await h
    .client()
    .signIn({ tenantId: input.tenantId, email: input.email, password: input.password });
  if (challenge.result?.$case !== 'mfaRequired')
    throw new Error(`expected a challenge, got ${challenge.result?.$case}`);
  const verified = await h.client().verifyMfa({
    tenantId: input.tenantId,
    challengeToken: challenge.result.value.challengeToken,
    secondFactor: { $case: 'totpCode', value: await codeFor(h, input.secret) },
  });
  if (verified.tokens === undefined) throw new Error('no tokens');
  return verified.tokens;
}

/** The AppError a promise rejects with (reason and kind), for `expect(...).toMatchObject`. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ reason: string; kind: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { reason: string; kind: string; message: string };
  }
  throw new Error('expected a rejection');
}
