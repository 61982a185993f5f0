import { baseServiceConfig, grpcServerConfig, loadConfig, tokenVerificationConfig } from '@medspa/config';
import { z } from 'zod';

export const schedulingConfigSchema = z.object({
  ...baseServiceConfig,
  SERVICE_NAME: baseServiceConfig.SERVICE_NAME.default('scheduling'),
  ...grpcServerConfig,
  GRPC_HOST: z.string().default('0.0.0.0'),
  ...tokenVerificationConfig,
  // The `iss` identity signs access tokens with (its IDENTITY_ISSUER).
  TOKEN_ISSUER: z.string().url().default('https://identity.medspa.local'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
});

export type SchedulingConfig = z.output<typeof schedulingConfigSchema>;

/** Scheduling's configuration from the environment; throws listing every problem at once. */
export const loadSchedulingConfig = (env: NodeJS.ProcessEnv = process.env): SchedulingConfig =>
  loadConfig(schedulingConfigSchema, env);
