import { readFileSync } from 'node:fs';

// The list ships in the repo (common-passwords.txt, whose header names its source and licence)
// rather than as a dependency: no install step, no network, and it is reviewed like code.
// It holds only passwords of 12+ characters, since shorter ones fail the length rule first.
const LIST_URL = new URL('./common-passwords.txt', import.meta.url);

let cached: ReadonlySet<string> | undefined;

/** The normalised common passwords, read once. */
export function commonPasswords(): ReadonlySet<string> {
  cached ??= new Set(
    readFileSync(LIST_URL, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith('#')),
  );
  return cached;
}
