import { runMigrateCommand } from '@medspa/db';
import { runServiceMain } from '@medspa/grpc';
import { createLogger, startTelemetry } from '@medspa/observability';
import { migrations } from '../migrations/index.js';
import { loadIdentityConfig } from './config.js';

// Wiring only. Order matters for `serve`: config, then telemetry (which patches modules), then the app.
await runServiceMain('identity', {
  async serve() {
    const config = loadIdentityConfig();
    const telemetry = startTelemetry({
      serviceName: config.SERVICE_NAME,
      ...(config.METRICS_PORT === undefined ? {} : { metricsPort: config.METRICS_PORT }),
      ...(config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined
        ? {}
        : { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }),
      sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
    });
    await telemetry.ready;
    const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
    const { startService } = await import('./service.js');
    const service = await startService(config, { logger });
    const stop = async (signal: string) => {
      logger.info({ signal }, 'identity draining');
      await service.stop();
      await telemetry.shutdown();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  },
  async migrate() {
    const result = await runMigrateCommand({ service: 'identity', migrations });
    process.stdout.write(`identity: applied ${result.applied.length} migration(s)\n`);
  },
  async rebuild(args) {
    const { runRebuildCommand } = await import('@medspa/projections');
    const { sessionsProjection } = await import('./projections/sessions/projection.js');
    const result = await runRebuildCommand(args, {
      schema: 'identity',
      projections: [sessionsProjection('identity')],
    });
    process.stdout.write(`identity: rebuilt ${JSON.stringify(result)}\n`);
  },
  async 'create-tenant'(args) {
    const config = loadIdentityConfig();
    const { runCreateTenantCommand } = await import('./app/create-tenant-command.js');
    const created = await runCreateTenantCommand(args, config);
    process.stdout.write(`${JSON.stringify(created)}\n`);
  },
  async 'rotate-signing-key'(args) {
    const config = loadIdentityConfig();
    const { rotateSigningKey } = await import('./security/rotate-command.js');
    await rotateSigningKey(config, { emergency: args.includes('--emergency') });
    process.stdout.write('identity: signing key rotated\n');
  },
});
