/*
 * Shape checks that keep secrets out of events: a decider cannot hash or encrypt (it is pure), but
 * it can refuse a value that looks like the raw secret instead of its hash or ciphertext, which is
 * the mistake a future caller is most likely to make.
 */

/** An argon2id PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), never a plain password. */
export const isArgon2idHash = (value: string): boolean =>
  /^\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.test(value);

/** SHA-256 as lower-case hex (recovery code hashes). */
export const isSha256Hex = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

/** SHA-256 as unpadded base64url (refresh token hashes); a raw token has dots and is longer. */
export const isSha256Base64Url = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

/**
 * A reference to an encrypted TOTP secret. It must not look like a raw base32 secret (upper-case
 * letters and digits 2–7, 16 or more of them), which is what an authenticator app is given.
 */
export const isOpaqueSecretRef = (value: string): boolean =>
  value.length > 0 && value.length <= 4096 && !/^[A-Z2-7]{16,}=*$/.test(value.replace(/\s/g, ''));
