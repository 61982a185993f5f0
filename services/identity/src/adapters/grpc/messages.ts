import type { SessionTokens as SessionTokensMessage } from '@medspa/contracts/medspa.identity.v1';
import type { SessionTokens } from '../../app/sessions.js';

export const sessionTokensToProto = (t: SessionTokens): SessionTokensMessage => ({
  sessionId: t.sessionId,
  accessToken: t.accessToken,
  accessTokenExpiresAt: t.accessTokenExpiresAt,
  refreshToken: t.refreshToken,
  sessionExpiresAt: t.sessionExpiresAt,
});
