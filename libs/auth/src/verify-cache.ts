import { createHash } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { Principal } from './principal.js';

interface Entry {
  principal: Principal;
  /** Epoch ms after which the entry is no longer used. */
  expiresAt: number;
  /** The key the token was verified with: its kid and the JWK as published then. */
  kid: string;
  keyFingerprint: string;
}

/** A JWK as published, for telling a withdrawn or replaced key (same kid, other material) apart. */
export const keyFingerprints = (jwks: JSONWebKeySet): Map<string, string> =>
  new Map(jwks.keys.flatMap((k) => (k.kid === undefined ? [] : [[k.kid, JSON.stringify(k)] as const])));

/**
 * Principals of tokens verified recently, so that a client sending the same token on every call
 * pays the signature check (≈ 0.5 ms CPU) once. Bounded LRU keyed by SHA-256 of the token (the
 * token itself is never kept); an entry is used only before its `expiresAt` (which the verifier
 * sets to at most the token's own expiry) and only while the key that verified it is still
 * published unchanged: `keysChanged` drops entries of rotated-out or replaced keys at once.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number) {}

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  get size(): number {
    return this.entries.size;
  }

  /** A copy of the cached principal, or undefined when absent, expired or its key is gone. */
  get(key: string, now: number, keys: ReadonlyMap<string, string>): Principal | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAt || keys.get(entry.kid) !== entry.keyFingerprint) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last: eviction takes the first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return clonePrincipal(entry.principal);
  }

  set(key: string, entry: Entry, now: number): void {
    if (entry.expiresAt <= now || this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { ...entry, principal: clonePrincipal(entry.principal) });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  /** After a key-set refresh: forget what was verified with a key no longer published as it was. */
  keysChanged(keys: ReadonlyMap<string, string>): void {
    for (const [key, entry] of this.entries) {
      if (keys.get(entry.kid) !== entry.keyFingerprint) this.entries.delete(key);
    }
  }
}

// Callers get their own object: one that mutated its principal must not change the next caller's.
const clonePrincipal = (p: Principal): Principal =>
  p.breakGlass === undefined ? { ...p } : { ...p, breakGlass: { ...p.breakGlass } };
