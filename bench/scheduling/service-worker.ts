import type { JWK } from 'jose';
import { createTokenVerifier } from '@medspa/auth';
import { createLogger } from '@medspa/observability';
import { loadSchedulingConfig, startService } from '@medspa/scheduling/app';
import { serveWorker } from '../lib/workers.js';
import { ISSUER } from './tokens.js';

// The scheduling service in a process of its own, as it runs in production: the benchmark's
// clients talk to it over gRPC on 127.0.0.1 and share none of its event loop.

let service: Awaited<ReturnType<typeof startService>> | undefined;

serveWorker({
  async start(payload: { databaseUrl: string; jwk: JWK }) {
    const config = loadSchedulingConfig({
      DATABASE_URL: payload.databaseUrl,
      JWKS_URL: 'http://127.0.0.1:9/unused',
      TOKEN_ISSUER: ISSUER,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: '40',
    });
    service = await startService(config, {
      verifier: createTokenVerifier({
        issuer: ISSUER,
        getJwks: () => Promise.resolve({ keys: [payload.jwk] }),
      }),
      listenAddress: '127.0.0.1:0',
      logger: createLogger({ service: 'scheduling-bench', level: 'warn' }),
    });
    return { address: service.address };
  },
  async catchUp() {
    await service?.catchUp();
    return null;
  },
  async close() {
    await service?.stop();
  },
});
