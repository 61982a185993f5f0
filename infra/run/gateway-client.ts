/** The few REST calls that e2e tests and benchmarks make against a running gateway. */
import { generate } from 'otplib';
import type { LocalPlatform } from './local-platform.js';

/** A JSON call to the gateway that fails loudly (with the problem body) on anything but 2xx. */
export async function call<T>(
  gateway: string,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(`${gateway}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

interface SignInReply {
  mfaRequired?: { challengeToken: string };
  tokens?: { accessToken: string };
}

/** The demo owner's password step: argon2id verification, answered with an MFA challenge. */
export const ownerPasswordStep = (platform: LocalPlatform): Promise<SignInReply> =>
  call<SignInReply>(platform.gatewayUrl, 'POST', '/v1/auth/sign-in', {
    body: { tenantId: platform.demo.tenantId, email: platform.demo.email, password: platform.demo.password },
  });

/**
 * A full owner session through the gateway: password, then the TOTP code of the enrolled secret.
 * Identity refuses a second code from a time step already used (the seeding used one moments ago),
 * so on a refusal it signs in again with the next step's code.
 */
export async function signInOwner(platform: LocalPlatform): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const first = await ownerPasswordStep(platform);
    if (first.mfaRequired === undefined)
      throw new Error('the demo owner was expected to get an MFA challenge');
    try {
      const { tokens } = await call<SignInReply>(platform.gatewayUrl, 'POST', '/v1/auth/mfa/verify', {
        body: {
          tenantId: platform.demo.tenantId,
          challengeToken: first.mfaRequired.challengeToken,
          totpCode: await generate({ secret: platform.data.owner.totpSecret }),
        },
      });
      if (tokens === undefined) throw new Error('no session after MFA');
      return tokens.accessToken;
    } catch (error) {
      if (attempt >= 2 || !(error instanceof Error) || !error.message.includes('MFA_CODE_INVALID'))
        throw error;
      await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 500));
    }
  }
}
