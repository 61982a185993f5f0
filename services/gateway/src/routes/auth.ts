import { ACCESS_TOKEN_TTL_SECONDS } from '@medspa/auth';
import * as i from '@medspa/contracts/medspa.identity.v1';
import { errors } from '@medspa/errors';
import { Empty } from './schemas/common.js';
import * as $ from './schemas/identity.js';
import { route, rpc, staff, type Route, type RouteContext } from './route.js';

const signedIn = { kind: 'signed-in' } as const;

/** Sign-in and refresh start or extend the session's activity at the edge (idle logoff). */
async function sessionStarted(ctx: RouteContext, tokens: i.SessionTokens | undefined): Promise<void> {
  if (tokens !== undefined && tokens.sessionId !== '') await ctx.sessions.touch(tokens.sessionId);
}

/** Sign-in, MFA, sessions and break-glass (identity). */
export const authRoutes: Route[] = [
  route({
    operationId: 'signIn',
    method: 'POST',
    path: '/v1/auth/sign-in',
    tag: 'auth',
    summary: 'E-mail and password: an MFA challenge, session tokens, or an enrolment-only token',
    access: { kind: 'public' },
    body: $.SignInBody,
    response: $.SignInReply,
    async handle(ctx) {
      const res = await ctx.upstream.identity.signIn(i.SignInRequest.fromJSON(ctx.input), ctx.call);
      if (res.result?.$case === 'tokens') await sessionStarted(ctx, res.result.value);
      return { json: i.SignInResponse.toJSON(res) };
    },
  }),
  route({
    operationId: 'verifyMfa',
    method: 'POST',
    path: '/v1/auth/mfa/verify',
    tag: 'auth',
    summary: 'Complete an MFA challenge with a TOTP code or a recovery code',
    access: { kind: 'public' },
    body: $.VerifyMfaBody,
    response: $.TokensReply,
    async handle(ctx) {
      const res = await ctx.upstream.identity.verifyMfa(i.VerifyMfaRequest.fromJSON(ctx.input), ctx.call);
      await sessionStarted(ctx, res.tokens);
      return { json: i.VerifyMfaResponse.toJSON(res) };
    },
  }),
  route({
    operationId: 'startTotpEnrolment',
    method: 'POST',
    path: '/v1/auth/totp/enrolment',
    tag: 'auth',
    summary: 'Start TOTP enrolment (enrolment-only or session token): the secret, shown once',
    access: { kind: 'identity' },
    response: $.TotpEnrolment,
    handle: rpc('identity', 'startTotpEnrolment', i.StartTotpEnrolmentRequest, i.StartTotpEnrolmentResponse),
  }),
  route({
    operationId: 'confirmTotpEnrolment',
    method: 'POST',
    path: '/v1/auth/totp/enrolment/confirm',
    tag: 'auth',
    summary: 'Confirm TOTP enrolment with a code: the recovery codes, shown once',
    access: { kind: 'identity' },
    body: $.ConfirmTotpBody,
    response: $.RecoveryCodes,
    handle: rpc(
      'identity',
      'confirmTotpEnrolment',
      i.ConfirmTotpEnrolmentRequest,
      i.ConfirmTotpEnrolmentResponse,
    ),
  }),
  route({
    operationId: 'refresh',
    method: 'POST',
    path: '/v1/auth/refresh',
    tag: 'auth',
    summary: 'Rotate the refresh token; a reused one ends the session',
    access: { kind: 'public' },
    body: $.RefreshBody,
    response: $.TokensReply,
    async handle(ctx) {
      const res = await ctx.upstream.identity.refresh(i.RefreshRequest.fromJSON(ctx.input), ctx.call);
      const sid = res.tokens?.sessionId ?? '';
      // A session the edge already logged off (idle or revoked) is not revived by a refresh.
      const verdict = sid === '' ? 'active' : await ctx.sessions.admit(sid);
      if (verdict === 'idle') throw errors.unauthenticated('SESSION_IDLE', 'The session was idle too long');
      if (verdict === 'revoked') throw errors.unauthenticated('SESSION_REVOKED', 'The session has ended');
      return { json: i.RefreshResponse.toJSON(res) };
    },
  }),
  route({
    operationId: 'logout',
    method: 'POST',
    path: '/v1/auth/logout',
    tag: 'auth',
    summary: "End the caller's session; its access token is refused from now on",
    access: signedIn,
    response: Empty,
    async handle(ctx) {
      const sid = ctx.principal?.sessionId;
      // Revoked at the edge first, so the token is dead even if identity is unreachable.
      if (sid !== undefined) await ctx.sessions.revoke(sid, ACCESS_TOKEN_TTL_SECONDS * 1000);
      await ctx.upstream.identity.logout({}, ctx.call);
      return { json: {} };
    },
  }),
  route({
    operationId: 'requestBreakGlass',
    method: 'POST',
    path: '/v1/auth/break-glass',
    tag: 'auth',
    summary: 'Emergency access for this session: a reason, an expiry, loudly audited',
    access: signedIn,
    body: $.BreakGlassBody,
    response: $.BreakGlassGrant,
    handle: rpc('identity', 'requestBreakGlass', i.RequestBreakGlassRequest, i.RequestBreakGlassResponse),
  }),
  route({
    operationId: 'endBreakGlass',
    method: 'POST',
    path: '/v1/auth/break-glass/end',
    tag: 'auth',
    summary: 'End emergency access: a fresh access token without it',
    access: signedIn,
    response: $.AccessTokenReply,
    handle: rpc('identity', 'endBreakGlass', i.EndBreakGlassRequest, i.EndBreakGlassResponse),
  }),
  route({
    operationId: 'setPassword',
    method: 'POST',
    path: '/v1/auth/password',
    tag: 'auth',
    summary: "Set one's own password (current one required) or, with staff:manage, another user's",
    access: signedIn,
    body: $.SetPasswordBody,
    response: Empty,
    handle: rpc('identity', 'setPassword', i.SetPasswordRequest, i.SetPasswordResponse),
  }),
  route({
    operationId: 'createUser',
    method: 'POST',
    path: '/v1/users',
    tag: 'staff',
    summary: 'Create a staff or patient account in the clinic',
    access: staff('staff:manage'),
    body: $.CreateUserBody,
    response: $.UserCreated,
    status: 201,
    handle: rpc('identity', 'createUser', i.CreateUserRequest, i.CreateUserResponse),
  }),
];
