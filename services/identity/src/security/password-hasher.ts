import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { errors } from '@medspa/errors';
import { createHashingLanes } from './hashing-lanes.js';

/** Argon2id cost: memory in KiB, passes, lanes. */
export interface Argon2Params {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's minimum for argon2id (m = 19 MiB, t = 2, p = 1); nothing weaker is accepted. */
export const ARGON2_MINIMUM: Argon2Params = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 };

/**
 * The parameters new hashes get. The minimum, on purpose: sign-in must stay under 250 ms p99 at
 * 20 concurrent sign-ins on 2 cores, and each hash holds 19 MiB (see the measurements in
 * cli/argon2-bench.ts). Raise them here and `needsRehash` upgrades users as they sign in.
 */
export const ARGON2_DEFAULT: Argon2Params = ARGON2_MINIMUM;

// The binding's enums are `const enum`s, which isolatedModules cannot import; these are their values.
const ARGON2ID = 2 as Algorithm;

export interface PasswordHasher {
  readonly params: Argon2Params;
  /** An argon2id PHC string with a fresh 16-byte salt. */
  hash(password: string): Promise<string>;
  /** Whether the password matches; throws PASSWORD_HASH_INVALID for a stored value that is no argon2 hash. */
  verify(passwordHash: string, password: string): Promise<boolean>;
  /**
   * The same work as `verify`, against a hash of nothing, returning false: used when no account
   * matches, so response times do not reveal which e-mail addresses have accounts.
   */
  verifyNoAccount(password: string): Promise<false>;
  /** True when a stored hash was made with other parameters (or another algorithm). */
  needsRehash(passwordHash: string): boolean;
}

const atLeastMinimum = (p: Argon2Params): boolean =>
  [p.memoryKiB, p.timeCost, p.parallelism].every(Number.isInteger) &&
  p.memoryKiB >= ARGON2_MINIMUM.memoryKiB &&
  p.timeCost >= ARGON2_MINIMUM.timeCost &&
  p.parallelism >= ARGON2_MINIMUM.parallelism;

const hashInvalid = (cause: unknown) =>
  // Never the hash itself in the message: it is a credential for offline guessing.
  errors.internal('PASSWORD_HASH_INVALID', 'A stored password hash cannot be read', { cause });

/** Argon2id through @node-rs/argon2 (prebuilt Rust binding, runs on libuv's thread pool). */
export function createPasswordHasher(
  params: Argon2Params = ARGON2_DEFAULT,
  options: { lanes?: number } = {},
): PasswordHasher {
  if (!atLeastMinimum(params)) {
    throw new RangeError('argon2id parameters must be at least m=19456 KiB, t=2, p=1');
  }
  const argon2: Options = {
    algorithm: ARGON2ID,
    memoryCost: params.memoryKiB,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
  let decoy: Promise<string> | undefined;
  // Hashes and verifies share the lanes; a decoy verify queues like a real one, so it times alike.
  const inLane = createHashingLanes(options.lanes);

  const check = async (passwordHash: string, password: string): Promise<boolean> => {
    try {
      return await inLane(() => verify(passwordHash, password));
    } catch (e) {
      throw hashInvalid(e);
    }
  };

  return {
    params: { ...params },
    hash: (password) => inLane(() => hash(password, argon2)),
    verify: check,
    async verifyNoAccount(password) {
      decoy ??= hash('no account matches this sign-in', argon2);
      await check(await decoy, password);
      return false;
    },
    needsRehash(passwordHash) {
      try {
        const stored = parseOptions(passwordHash);
        return (
          stored.algorithm !== ARGON2ID ||
          stored.memoryCost !== params.memoryKiB ||
          stored.timeCost !== params.timeCost ||
          stored.parallelism !== params.parallelism
        );
      } catch {
        return true;
      }
    },
  };
}
