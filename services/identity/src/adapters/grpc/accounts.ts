import type {
  CreateTenantRequest,
  CreateTenantResponse,
  CreateUserRequest,
  CreateUserResponse,
  SetPasswordRequest,
  SetPasswordResponse,
} from '@medspa/contracts/medspa.identity.v1';
import type { CallContext } from '@medspa/grpc';
import type { IdentityContext } from '../../app/context.js';
import { createTenant } from '../../app/tenants.js';
import { createUser, setPassword } from '../../app/users.js';
import type { PrincipalGuard } from './principals.js';
import { roleFromProto } from './roles.js';

/** CreateTenant, CreateUser, SetPassword. */
export function accountHandlers(app: IdentityContext, guard: PrincipalGuard) {
  return {
    async createTenant(request: CreateTenantRequest, call: CallContext): Promise<CreateTenantResponse> {
      return createTenant(app, call.principal, {
        name: request.name,
        ownerEmail: request.ownerEmail,
        ownerPassword: request.ownerPassword,
        requestId: call.requestId,
      });
    },
    async createUser(request: CreateUserRequest, call: CallContext): Promise<CreateUserResponse> {
      const principal = guard.full(call);
      const userId = await createUser(app, principal, {
        email: request.email,
        role: roleFromProto(request.role),
        requestId: call.requestId,
      });
      return { userId };
    },
    async setPassword(request: SetPasswordRequest, call: CallContext): Promise<SetPasswordResponse> {
      await setPassword(app, guard.full(call), {
        userId: request.userId,
        newPassword: request.newPassword,
        currentPassword: request.currentPassword,
        requestId: call.requestId,
      });
      return {};
    },
  };
}
