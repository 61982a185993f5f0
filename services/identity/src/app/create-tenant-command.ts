import { parseArgs } from 'node:util';
import type { Principal } from '@medspa/auth';
import { newId } from '@medspa/eventstore';
import { composeIdentity } from '../composition.js';
import type { IdentityConfig } from '../config.js';
import { createTenant } from './tenants.js';

/**
 * `main.ts create-tenant --name <clinic> --owner-email <address>`, with the owner's first password
 * in OWNER_PASSWORD (never on the command line, where `ps` shows it): the platform bootstrap for
 * `make run` and for operators, acting as the first platform admin. Prints the ids.
 */
export async function runCreateTenantCommand(
  args: readonly string[],
  config: IdentityConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ tenantId: string; ownerUserId: string }> {
  const { values } = parseArgs({
    args: [...args],
    options: { name: { type: 'string' }, 'owner-email': { type: 'string' } },
  });
  const name = values.name;
  const ownerEmail = values['owner-email'];
  const ownerPassword = env.OWNER_PASSWORD;
  if (name === undefined || ownerEmail === undefined || ownerPassword === undefined || ownerPassword === '') {
    throw new Error('usage: create-tenant --name <clinic> --owner-email <address>   (env: OWNER_PASSWORD)');
  }
  const { app, close } = await composeIdentity(config);
  const platform: Principal = {
    userId: config.PLATFORM_ADMIN_SUBJECTS[0] ?? 'svc:platform',
    tenantId: newId(),
    role: 'service',
    sessionId: `cli-${newId()}`,
    isService: true,
  };
  try {
    return await createTenant(app, platform, { name, ownerEmail, ownerPassword, requestId: newId() });
  } finally {
    await close();
  }
}
