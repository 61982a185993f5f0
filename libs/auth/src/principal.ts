import type { Role } from './roles.js';

/** Emergency access a user declared at sign-in; services audit every read made under it. */
export interface BreakGlass {
  readonly reason: string;
}

/** Who is calling, as established from a verified access token. */
export interface Principal {
  /** The token's `sub`: a user id, or `svc:<name>` for a service. */
  readonly userId: string;
  /** The clinic; comes only from the token's `tid` claim, never from a header or a body. */
  readonly tenantId: string;
  readonly role: Role;
  /** The sign-in session (`sid`), so one session can be revoked and audited on its own. */
  readonly sessionId: string;
  readonly isService: boolean;
  readonly breakGlass?: BreakGlass;
}
