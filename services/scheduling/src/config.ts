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
  // How long a waitlist offer is held for its patient before it goes to the next entry.
  WAITLIST_OFFER_HOLD_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(900),
  // How often the waitlist timer poller looks for due offers (expiries, next offers).
  WAITLIST_TIMER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  // How often each read model looks for new events once at the head of the log (lag vs idle load).
  PROJECTION_POLL_MS: z.coerce.number().int().min(1).max(10_000).default(20),
});

export type SchedulingConfig = z.output<typeof schedulingConfigSchema>;

/** Scheduling's configuration from the environment; throws listing every problem at once. */
export const loadSchedulingConfig = (env: NodeJS.ProcessEnv = process.env): SchedulingConfig =>
  loadConfig(schedulingConfigSchema, env);
