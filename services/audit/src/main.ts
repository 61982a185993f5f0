import { runMigrateCommand } from '@medspa/db';
import { drainOnSignals, runServiceMain } from '@medspa/grpc';
import { startTelemetry } from '@medspa/observability';
import { loadAuditConfig } from './config.js';
import { auditMigrations } from './migrations.js';

// Wiring only. Order matters: config, then telemetry (which patches modules), then the app.
await runServiceMain('audit', {
  serve: async () => {
    const config = loadAuditConfig();
    const telemetry = startTelemetry({
      serviceName: config.SERVICE_NAME,
      ...(config.METRICS_PORT === undefined ? {} : { metricsPort: config.METRICS_PORT }),
    });
    await telemetry.ready;
    const { startService } = await import('./service.js');
    const running = await startService(config);
    drainOnSignals(running.server, {
      onDrained: async () => {
        await running.closeAfterDrain();
        await telemetry.shutdown();
        process.exit(0);
      },
    });
  },
  migrate: async () => {
    await runMigrateCommand({ service: 'audit', migrations: () => auditMigrations() });
  },
});
