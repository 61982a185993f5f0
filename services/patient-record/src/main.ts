import { createPool, runMigrateCommand } from '@medspa/db';
import { runServiceMain } from '@medspa/grpc';
import { createLogger, startTelemetry } from '@medspa/observability';
import { migrations } from '../migrations/index.js';
import { SERVICE_NAME } from './adapters/integration-events.js';
import { loadPatientRecordConfig } from './config.js';

// Wiring only. serve: config -> telemetry -> the app (imported after telemetry patches pg and
// grpc); migrate: as the schema owner; rebuild: one read model from the log.
await runServiceMain(SERVICE_NAME, {
  async serve() {
    const config = loadPatientRecordConfig();
    const telemetry = startTelemetry({
      serviceName: config.SERVICE_NAME,
      ...(config.METRICS_PORT !== undefined ? { metricsPort: config.METRICS_PORT } : {}),
      ...(config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined
        ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }
        : {}),
      sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
    });
    await telemetry.ready;
    const logger = createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
    const { startService } = await import('./service.js');
    const service = await startService(config, { logger });
    logger.info({ port: service.port }, 'patient-record serving');
    const shutdown = () => {
      void service
        .stop()
        .then(() => telemetry.shutdown())
        .then(() => process.exit(0));
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  },
  async migrate() {
    const result = await runMigrateCommand({ service: SERVICE_NAME, migrations });
    process.stdout.write(`patient-record: applied ${result.applied.length} migration(s)\n`);
  },
  async rebuild(args) {
    const config = loadPatientRecordConfig();
    const { SCHEMA, projectionsOf } = await import('./service.js');
    const { createRecordStore } = await import('./crypto/keys.js');
    const { runRebuildCommand } = await import('@medspa/projections');
    // The projections need the keyring (blind-index key, directory ciphertexts) of the same pool.
    const keysPool = createPool(config.DATABASE_URL, { applicationName: 'rebuild:keys', max: 2 });
    try {
      const { kmsFrom } = await import('./adapters/transport.js');
      const cloud = kmsFrom(config);
      const settings = {
        kmsKeyDir: config.KMS_LOCAL_DIR,
        kekId: cloud?.kekId ?? config.KMS_KEK_ID,
        ...(cloud !== undefined ? { kms: cloud.kms } : {}),
      };
      const crypto = createRecordStore(keysPool, SCHEMA, settings);
      await runRebuildCommand(args, {
        schema: SCHEMA,
        projections: projectionsOf({ ...crypto, schema: SCHEMA }),
        createStore: (pool) => createRecordStore(pool, SCHEMA, settings).store,
      });
    } finally {
      await keysPool.end();
    }
  },
});
