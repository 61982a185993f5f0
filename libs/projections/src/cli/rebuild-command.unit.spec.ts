import { describe, expect, it } from 'vitest';
import { defineProjection } from '../projection.js';
import { runRebuildCommand } from './rebuild-command.js';

const calendar = defineProjection({ name: 'calendar', tables: ['calendar_slots'], apply: async () => {} });

describe('runRebuildCommand', () => {
  it('lists every problem at once before touching a database', async () => {
    await expect(
      runRebuildCommand(['agenda'], { schema: 'scheduling', projections: [calendar] }, {}),
    ).rejects.toThrow(
      /unknown projection agenda; one of: calendar\nDATABASE_URL is required.*\nMIGRATION_DATABASE_URL is required/s,
    );
    await expect(
      runRebuildCommand(['--projection', 'calendar'], { schema: 'scheduling', projections: [calendar] }, {}),
    ).rejects.toThrow(/^DATABASE_URL is required/);
  });
});
