/**
 * Compares two strings in time that depends only on their lengths, so that a stored token hash
 * cannot be learnt byte by byte. Pure (no node:crypto) so that deciders can use it; adapters that
 * hold Buffers use crypto.timingSafeEqual instead.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}
