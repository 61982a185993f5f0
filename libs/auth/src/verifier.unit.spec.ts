import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppError } from '@medspa/errors';
import { createTestIssuer } from '../../testing/src/tokens.js';
import { createTokenVerifier } from './verifier.js';

const rejection = async (p: Promise<unknown>): Promise<AppError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

const tamperPayload = (token: string, patch: Record<string, unknown>): string => {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, ...patch })).toString('base64url');
  return `${header}.${forged}.${signature}`;
};

describe('createTokenVerifier', () => {
  it('turns a valid token into a principal whose tenant is the tid claim', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const tenantId = randomUUID();
    const token = await issuer.sign({ userId: 'user-1', tenantId, role: 'front_desk', sessionId: 's-1' });
    await expect(verifier.verify(token)).resolves.toEqual({
      userId: 'user-1',
      tenantId,
      role: 'front_desk',
      sessionId: 's-1',
      isService: false,
    });
  });

  it('carries break-glass onto the principal', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const token = await issuer.sign({ breakGlass: { reason: 'anaphylaxis in treatment room 2' } });
    const principal = await verifier.verify(token);
    expect(principal.breakGlass).toEqual({ reason: 'anaphylaxis in treatment room 2' });
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const forged = tamperPayload(await issuer.sign({ role: 'front_desk' }), {
      tid: randomUUID(),
      role: 'owner',
    });
    const err = await rejection(verifier.verify(forged));
    expect(err).toMatchObject({ kind: 'unauthenticated', reason: 'TOKEN_INVALID' });
  });

  it('rejects a token signed by another key under a published kid', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const { privateKey } = await generateKeyPair('EdDSA');
    const token = await new SignJWT({ tid: 't', role: 'owner', sid: 's' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: issuer.kid })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    expect(await rejection(verifier.verify(token))).toMatchObject({ reason: 'TOKEN_INVALID' });
  });

  it('rejects an unsigned (alg none) token', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const token = new UnsecuredJWT({ tid: 't', role: 'owner', sid: 's' })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode();
    expect(await rejection(verifier.verify(token))).toMatchObject({ kind: 'unauthenticated' });
  });

  it('tells expiry, audience, issuer, type and garbage apart', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const reasonOf = async (token: string) => (await rejection(verifier.verify(token))).reason;
    expect(await reasonOf(await issuer.sign({ expiresIn: -60 }))).toBe('TOKEN_EXPIRED');
    expect(await reasonOf(await issuer.sign({ audience: 'other-platform' }))).toBe('TOKEN_WRONG_AUDIENCE');
    expect(await reasonOf(await issuer.sign({ issuer: 'https://evil.example' }))).toBe('TOKEN_WRONG_ISSUER');
    expect(await reasonOf('not-a-jwt')).toBe('TOKEN_MALFORMED');
    const idToken = await new SignJWT({ tid: 't', role: 'owner', sid: 's' })
      .setProtectedHeader({ alg: 'EdDSA', kid: issuer.kid })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setSubject('u')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(issuer.privateKey);
    expect(await reasonOf(idToken)).toBe('TOKEN_WRONG_TYPE');
  });

  it('refuses a long-lived token once it is older than 15 minutes', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ tid: 't', role: 'owner', sid: 's' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: issuer.kid })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setSubject('u')
      .setIssuedAt(now - 20 * 60)
      .setExpirationTime(now + 24 * 3600)
      .sign(issuer.privateKey);
    expect(await rejection(verifier.verify(token))).toMatchObject({ reason: 'TOKEN_EXPIRED' });
  });

  it('refuses a user token that claims the service role, and a service token with a user role', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const asService = await issuer.sign({ userId: 'user-1', role: 'service' });
    const asOwner = await issuer.sign({ userId: 'svc:billing', role: 'owner' });
    expect(await rejection(verifier.verify(asService))).toMatchObject({ reason: 'TOKEN_CLAIMS_INVALID' });
    expect(await rejection(verifier.verify(asOwner))).toMatchObject({ reason: 'TOKEN_CLAIMS_INVALID' });
  });
});
