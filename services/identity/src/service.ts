import { createGrpcServer } from '@medspa/grpc';
import { createProjectionRunner } from '@medspa/projections';
import { addIdentityService } from './adapters/grpc/identity-service.js';
import type { IdentityContext } from './app/context.js';
import { composeIdentity, SERVICE, type CompositionDeps } from './composition.js';
import type { IdentityConfig } from './config.js';
import { sessionsProjection } from './projections/sessions/projection.js';
import { createIdentityTokenVerifier } from './security/identity-verifier.js';
import type { PersistentSigningKeySet } from './security/pg-signing-keys.js';

export { SERVICE } from './composition.js';

export interface IdentityDeps extends CompositionDeps {
  /** Default `0.0.0.0:<GRPC_PORT>`; tests pass `127.0.0.1:0`. */
  listenAddress?: string;
}

export interface IdentityHandle {
  port: number;
  /** The persisted signing keys (tests mint platform service tokens with them). */
  keys: PersistentSigningKeySet;
  app: IdentityContext;
  /** Resolves once every read model has caught up with the log (tests). */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts identity: pool, stores, keys, projections, gRPC. Used by main.ts and by in-process tests. */
export async function startService(config: IdentityConfig, deps: IdentityDeps = {}): Promise<IdentityHandle> {
  const { app, keys, close } = await composeIdentity(config, deps);
  const { pool, logger, now } = app;
  const verifier = createIdentityTokenVerifier({ keys, issuer: config.IDENTITY_ISSUER, now });
  const server = createGrpcServer({
    serviceName: SERVICE,
    verifier,
    logger,
    protoFiles: ['medspa/identity/v1/identity.proto'],
  });
  addIdentityService(server, app, verifier, keys);
  const projections = createProjectionRunner({
    pool,
    store: app.store,
    projections: [sessionsProjection(app.schema)],
    logger,
  });
  projections.start();
  const port = await server.listen(deps.listenAddress ?? `0.0.0.0:${config.GRPC_PORT}`);
  server.markReady();
  logger.info({ port }, 'identity serving');

  let stopped: Promise<void> | undefined;
  return {
    port,
    keys,
    app,
    catchUp: () => projections.catchUp({ timeoutMs: 10_000 }),
    stop: () =>
      (stopped ??= (async () => {
        await server.drain({ graceMs: 5_000 });
        await projections.stop();
        await close();
      })()),
  };
}
