/** The few REST calls that e2e tests and benchmarks make against a running gateway. */
import http from 'node:http';
import https from 'node:https';
import { generate } from 'otplib';
import type { LocalPlatform } from './local-platform.js';

/** A JSON call to the gateway that fails loudly (with the problem body) on anything but 2xx. */
export async function call<T>(
  gateway: string,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<T> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const { status, text } = await send(new URL(`${gateway}${path}`), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    },
    ...(body === undefined ? {} : { body }),
  });
  if (status < 200 || status > 299) throw new Error(`${method} ${path} → ${status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/**
 * One request through node:http's keep-alive global agent (https for an https gateway). Not fetch:
 * its client cost ~0.4–0.6 ms of CPU per request against ~0.05–0.14 here, CPU that a benchmark on a
 * 2-core machine takes from the platform it measures.
 */
function send(
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
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
