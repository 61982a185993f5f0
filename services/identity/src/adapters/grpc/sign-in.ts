import type {
  ConfirmTotpEnrolmentRequest,
  ConfirmTotpEnrolmentResponse,
  SignInRequest,
  SignInResponse,
  StartTotpEnrolmentRequest,
  StartTotpEnrolmentResponse,
  VerifyMfaRequest,
  VerifyMfaResponse,
} from '@medspa/contracts/medspa.identity.v1';
import { errors } from '@medspa/errors';
import type { CallContext } from '@medspa/grpc';
import type { IdentityContext } from '../../app/context.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../app/mfa-enrolment.js';
import { signIn, verifyMfa, type SecondFactorInput } from '../../app/sign-in.js';
import { sessionTokensToProto } from './messages.js';
import type { PrincipalGuard } from './principals.js';

/** SignIn, VerifyMfa and TOTP enrolment. */
export function signInHandlers(app: IdentityContext, guard: PrincipalGuard) {
  return {
    async signIn(request: SignInRequest, call: CallContext): Promise<SignInResponse> {
      const result = await signIn(app, { ...request, requestId: call.requestId });
      switch (result.kind) {
        case 'mfa_required':
          return {
            result: {
              $case: 'mfaRequired',
              value: { challengeToken: result.challengeToken, expiresAt: result.expiresAt },
            },
          };
        case 'enrolment_required':
          return {
            result: {
              $case: 'enrolmentRequired',
              value: { enrolmentToken: result.enrolmentToken, expiresAt: result.expiresAt },
            },
          };
        case 'tokens':
          return { result: { $case: 'tokens', value: sessionTokensToProto(result.tokens) } };
        default: {
          const _exhaustive: never = result;
          throw errors.internal('SIGN_IN_RESULT_UNKNOWN', 'Unknown sign-in result');
        }
      }
    },
    async verifyMfa(request: VerifyMfaRequest, call: CallContext): Promise<VerifyMfaResponse> {
      const factor = request.secondFactor;
      if (factor === undefined) {
        throw errors.validation('SECOND_FACTOR_REQUIRED', 'A code is required', {
          violations: [{ field: 'second_factor', message: 'set totp_code or recovery_code' }],
        });
      }
      const secondFactor: SecondFactorInput =
        factor.$case === 'totpCode'
          ? { kind: 'totp', code: factor.value }
          : { kind: 'recovery_code', code: factor.value };
      const tokens = await verifyMfa(app, {
        tenantId: request.tenantId,
        challengeToken: request.challengeToken,
        secondFactor,
        requestId: call.requestId,
      });
      return { tokens: sessionTokensToProto(tokens) };
    },
    async startTotpEnrolment(
      _request: StartTotpEnrolmentRequest,
      call: CallContext,
    ): Promise<StartTotpEnrolmentResponse> {
      return startTotpEnrolment(app, guard.person(call), call.requestId);
    },
    async confirmTotpEnrolment(
      request: ConfirmTotpEnrolmentRequest,
      call: CallContext,
    ): Promise<ConfirmTotpEnrolmentResponse> {
      return confirmTotpEnrolment(app, guard.person(call), { code: request.code, requestId: call.requestId });
    },
  };
}
