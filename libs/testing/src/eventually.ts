/**
 * Asks until `done` holds or `timeoutMs` has passed, and returns the last answer either way, so
 * the caller's assertion on it fails with the value it saw (for what trails a commit: read models,
 * change announcements).
 */
export async function eventually<T>(
  ask: () => Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await ask();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}
