import {
  baseServiceConfig,
  grpcServerConfig,
  httpUrl,
  loadConfig,
  requiredWhen,
  tokenVerificationConfig,
  type RawConfig,
} from '@medspa/config';
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
  // postgres-tail (embedded): consumers read this service's outbox; kafka (cluster): a relay in
  // this process publishes the outbox to medspa.patient-record.events.v1.
  TRANSPORT: base.TRANSPORT,
  KAFKA_BROKERS: base.KAFKA_BROKERS,
  KAFKA_SSL: base.KAFKA_SSL,
  KAFKA_SASL_MECHANISM: base.KAFKA_SASL_MECHANISM,
  KAFKA_SASL_USERNAME: base.KAFKA_SASL_USERNAME,
  KAFKA_SASL_PASSWORD: base.KAFKA_SASL_PASSWORD,
  ...grpcServerConfig,
  GRPC_HOST: z.string().default('0.0.0.0'),
  // Access tokens are verified here (zero trust) against identity's published keys.
  ...tokenVerificationConfig,
  TOKEN_ISSUER: z.string().min(1),
  KMS_LOCAL_DIR: z.string().min(1).default('.data/kms'),
  KMS_KEK_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be a lowercase key id such as patient-record-kek' })
    .default('patient-record-kek'),
  // local: the key file directory above (embedded mode); aws: AWS KMS wraps the tenant keys.
  KMS_PROVIDER: z.enum(['local', 'aws']).default('local'),
  // The KEK in AWS KMS: an alias (`alias/patient-record-kek`) or a key ARN.
  AWS_KMS_KEY_ID: z
    .string()
    .regex(/^(alias\/[A-Za-z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:\S+|[0-9a-f-]{36})$/, {
      error: 'must be an alias/..., a key ARN or a key id',
    })
    .optional(),
  AWS_REGION: z.string().min(1).optional(),
  // A KMS-compatible endpoint (LocalStack in tests); AWS's own when unset.
  AWS_KMS_ENDPOINT: httpUrl().optional(),
});

export type PatientRecordConfig = z.output<typeof patientRecordConfigSchema>;

const aws = (raw: RawConfig) => raw.KMS_PROVIDER === 'aws';
const kmsRules = ['AWS_KMS_KEY_ID', 'AWS_REGION'].map((key) =>
  requiredWhen(key, { keys: ['KMS_PROVIDER'], holds: aws, because: 'KMS_PROVIDER=aws' }),
);

export const loadPatientRecordConfig = (env: NodeJS.ProcessEnv = process.env): PatientRecordConfig =>
  loadConfig(patientRecordConfigSchema, env, { rules: kmsRules });
