import type {
  EndBreakGlassRequest,
  EndBreakGlassResponse,
  GetJwksRequest,
  GetJwksResponse,
  LogoutRequest,
  LogoutResponse,
  RefreshRequest,
  RefreshResponse,
  RequestBreakGlassRequest,
  RequestBreakGlassResponse,
} from '@medspa/contracts/medspa.identity.v1';
import type { CallContext } from '@medspa/grpc';
import { endBreakGlass, requestBreakGlass } from '../../app/break-glass.js';
import type { IdentityContext } from '../../app/context.js';
import { logout, refreshSession } from '../../app/sessions.js';
import type { SigningKeySet } from '../../security/signing-keys.js';
import { sessionTokensToProto } from './messages.js';
import type { PrincipalGuard } from './principals.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Refresh, Logout, GetJwks and break-glass. */
export function sessionHandlers(app: IdentityContext, guard: PrincipalGuard, keys: SigningKeySet) {
  return {
    async refresh(request: RefreshRequest, call: CallContext): Promise<RefreshResponse> {
      const tokens = await refreshSession(app, {
        refreshToken: request.refreshToken,
        requestId: call.requestId,
      });
      return { tokens: sessionTokensToProto(tokens) };
    },
    async logout(_request: LogoutRequest, call: CallContext): Promise<LogoutResponse> {
      const p = guard.full(call);
      await logout(app, { ...p, requestId: call.requestId });
      return {};
    },
    async getJwks(_request: GetJwksRequest): Promise<GetJwksResponse> {
      const { keys: published } = await keys.jwks(app.now());
      return {
        keys: published.map((k) => ({
          kty: text(k.kty),
          crv: text(k.crv),
          x: text(k.x),
          kid: text(k.kid),
          alg: text(k.alg),
          use: text(k.use),
        })),
      };
    },
    async requestBreakGlass(
      request: RequestBreakGlassRequest,
      call: CallContext,
    ): Promise<RequestBreakGlassResponse> {
      const granted = await requestBreakGlass(app, guard.full(call), {
        reason: request.reason,
        durationMinutes: request.durationMinutes,
        requestId: call.requestId,
      });
      return {
        grantId: granted.grantId,
        expiresAt: granted.expiresAt,
        accessToken: granted.accessToken,
        accessTokenExpiresAt: granted.accessTokenExpiresAt,
      };
    },
    async endBreakGlass(_request: EndBreakGlassRequest, call: CallContext): Promise<EndBreakGlassResponse> {
      return endBreakGlass(app, guard.full(call), call.requestId);
    },
  };
}
