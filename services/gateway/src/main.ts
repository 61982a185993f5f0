import { runMigrateCommand } from '@medspa/db';
import { createLogger, startTelemetry } from '@medspa/observability';
import { loadGatewayConfig } from './config.js';
import { gatewayMigrations } from './migrations.js';

// `main.ts migrate`: the signal consumer's bookkeeping tables (schema `gateway`), as the owner role.
if (process.argv[2] === 'migrate') {
  await runMigrateCommand({ service: 'gateway', migrations: gatewayMigrations });
  process.exit(0);
}

// Order matters: config, then telemetry (which patches http), then the app.
const config = loadGatewayConfig();
const telemetry = startTelemetry({
  serviceName: config.SERVICE_NAME,
  ...(config.METRICS_PORT ? { metricsPort: config.METRICS_PORT } : {}),
});
await telemetry.ready;
const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
const { buildGateway } = await import('./app.js');
const { createGatewayDeps } = await import('./composition.js');
const { startSignalConsumer } = await import('./signals/signal-consumer.js');

// Channels connect lazily, so the services may start after us.
const wiring = createGatewayDeps(config);
let ready = false;
const app = await buildGateway({
  config,
  logger,
  isReady: () => ready,
  jwks: wiring.jwks,
  api: wiring.api,
});
await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
const signals = await startSignalConsumer(config, wiring.signalBus, logger);
ready = true;
logger.info({ port: config.HTTP_PORT }, 'gateway listening');

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'gateway draining');
  ready = false;
  // The feed first, then the app (which ends the open signal streams), then the connections.
  await signals.stop();
  await app.close();
  await wiring.close();
  await telemetry.shutdown();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
