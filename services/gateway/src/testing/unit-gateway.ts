import { createTokenVerifier } from '@medspa/auth';
import { createLogger } from '@medspa/observability';
import { createTestIssuer, type TestIssuer } from '@medspa/testing';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../app.js';
import { createMemorySessionGuard } from '../session/session-guard.js';
import type { Upstreams } from '../upstream/clients.js';

/** Upstream methods a unit test fakes; any other call fails the test loudly. */
export type FakeUpstreams = { [S in keyof Upstreams]?: Partial<Upstreams[S]> };

function strict(fakes: FakeUpstreams): Upstreams {
  const service = (name: keyof Upstreams) =>
    new Proxy<object>(fakes[name] ?? {}, {
      get: (target, method: string) =>
        (target as Record<string, unknown>)[method] ??
        (() => Promise.reject(new Error(`unexpected upstream call ${name}.${method}`))),
    });
  return {
    identity: service('identity'),
    scheduling: service('scheduling'),
    patientRecord: service('patientRecord'),
    audit: service('audit'),
  } as Upstreams;
}

export interface UnitGateway {
  app: FastifyInstance;
  issuer: TestIssuer;
  clock: { now: number };
}

/** The gateway over faked services, a test issuer's tokens and in-process sessions on a movable clock. */
export async function unitGateway(fakes: FakeUpstreams = {}): Promise<UnitGateway> {
  const issuer = await createTestIssuer();
  const clock = { now: Date.now() };
  const app = await buildGateway({
    config: { BODY_LIMIT_BYTES: 4096, JWKS_CACHE_TTL: 30_000, CORS_ORIGINS: ['https://staff.example.test'] },
    logger: createLogger({ service: 'gateway', level: 'silent' }),
    isReady: () => true,
    jwks: { getJwks: () => Promise.resolve({ keys: [] }) },
    api: {
      upstream: strict(fakes),
      verifier: createTokenVerifier(issuer.verifierOptions()),
      sessions: createMemorySessionGuard({ idleMs: 15 * 60_000, retainMs: 86_400_000, now: () => clock.now }),
    },
  });
  return { app, issuer, clock };
}
