import { expect } from 'vitest';
import type { RecordFixture } from './service-fixture.js';

/** Runs `call`, expects it to fail with `match`, and checks that nothing was appended or queued. */
export async function refusedWithoutWrite(
  f: RecordFixture,
  call: () => Promise<unknown>,
  match: Record<string, unknown>,
): Promise<void> {
  const count = async () => ({
    events: (await f.rows('events')).length,
    integrationEvents: (await f.outbox()).filter((m) => !m.type.endsWith('AccessEvent')).length,
  });
  const before = await count();
  await expect(call()).rejects.toMatchObject(match);
  expect(await count()).toEqual(before);
}
