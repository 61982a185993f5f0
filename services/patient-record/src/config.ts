import { baseServiceConfig, grpcServerConfig, httpUrl, loadConfig } from '@medspa/config';
import { z } from 'zod';

const base = baseServiceConfig;

/**
 * patient-record's configuration, from the environment; every problem is listed at once.
 * Keys: the KEK lives in a local key file directory in embedded mode (`make run` points
 * KMS_LOCAL_DIR at `.data/kms`); that directory must stay out of database backups. The KEK is
 * this service's own (`patient-record-kek`), so one leaked service key does not open another's.
 */
export const patientRecordConfigSchema = z.object({
  SERVICE_NAME: base.SERVICE_NAME.default('patient-record'),
  NODE_ENV: base.NODE_ENV,
  LOG_LEVEL: base.LOG_LEVEL,
  METRICS_PORT: base.METRICS_PORT,
  DATABASE_URL: base.DATABASE_URL,
  MIGRATION_DATABASE_URL: base.MIGRATION_DATABASE_URL,
  OTEL_EXPORTER_OTLP_ENDPOINT: base.OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_TRACES_SAMPLER_ARG: base.OTEL_TRACES_SAMPLER_ARG,
  ...grpcServerConfig,
  GRPC_HOST: z.string().default('0.0.0.0'),
  // Access tokens are verified here (zero trust) against identity's published keys.
  JWKS_URL: httpUrl(),
  TOKEN_ISSUER: z.string().min(1),
  KMS_LOCAL_DIR: z.string().min(1).default('.data/kms'),
  KMS_KEK_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be a lowercase key id such as patient-record-kek' })
    .default('patient-record-kek'),
});

export type PatientRecordConfig = z.output<typeof patientRecordConfigSchema>;

export const loadPatientRecordConfig = (env: NodeJS.ProcessEnv = process.env): PatientRecordConfig =>
  loadConfig(patientRecordConfigSchema, env);
