import { runServiceMain } from '@medspa/grpc';
import { createLogger, startTelemetry } from '@medspa/observability';
import { loadSchedulingConfig } from './config.js';

// Wiring only. `serve` (default) runs the service; `migrate` applies the schema as the owner role;
// `rebuild <projection>` replays the log into one read model. The one-shot commands read only the
// database URLs, so they do not need the serving config.

await runServiceMain('scheduling', {
  async serve() {
    const config = loadSchedulingConfig();
    const telemetry = startTelemetry({
      serviceName: config.SERVICE_NAME,
      ...(config.METRICS_PORT ? { metricsPort: config.METRICS_PORT } : {}),
    });
    await telemetry.ready;
    const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
    const { startService } = await import('./app.js');
    const service = await startService(config, { logger });
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'scheduling draining');
      void service
        .stop()
        .then(() => telemetry.shutdown())
        .finally(() => process.exit(0));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  },
  async migrate() {
    const { runMigrateCommand } = await import('@medspa/db');
    const { migrations } = await import('./app.js');
    const result = await runMigrateCommand({ service: 'scheduling', migrations });
    process.stdout.write(
      `scheduling migrated: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied\n`,
    );
  },
  async rebuild(args) {
    const { runRebuildCommand } = await import('@medspa/projections');
    const { rebuildTarget } = await import('./app.js');
    await runRebuildCommand(args, rebuildTarget);
  },
});
