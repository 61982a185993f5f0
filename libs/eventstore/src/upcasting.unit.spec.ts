import { describe, expect, it } from 'vitest';
import { currentSchemaVersion, upcast, type Upcasters } from './upcasting.js';

const upcasters: Upcasters = {
  AppointmentBooked: {
    1: (d) => ({ ...(d as object), durationMinutes: 60 }),
    2: (d) => {
      const { start, ...rest } = d as { start: string };
      return { ...rest, startsAt: start };
    },
  },
};

describe('upcasting', () => {
  it('reads a v1 event in its newest shape', () => {
    expect(upcast(upcasters, 'AppointmentBooked', 1, { start: '2026-03-08T14:00:00Z' })).toEqual({
      data: { startsAt: '2026-03-08T14:00:00Z', durationMinutes: 60 },
      schemaVersion: 3,
    });
  });

  it('leaves events already at the newest version untouched', () => {
    const data = { startsAt: 'x', durationMinutes: 30 };
    expect(upcast(upcasters, 'AppointmentBooked', 3, data)).toEqual({ data, schemaVersion: 3 });
    expect(upcast(upcasters, 'AppointmentCancelled', 1, { reason: 'x' }).schemaVersion).toBe(1);
  });

  it('writes new events at one past the last upcaster', () => {
    expect(currentSchemaVersion(upcasters, 'AppointmentBooked')).toBe(3);
    expect(currentSchemaVersion(upcasters, 'AppointmentCancelled')).toBe(1);
  });
});
