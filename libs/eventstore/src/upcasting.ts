/**
 * Upcasters per event type and stored schema version: `{ AppointmentBooked: { 1: v1ToV2 } }`.
 * Old events are read in their newest shape; stored events are never rewritten.
 */
export type Upcasters = Record<string, Record<number, (data: unknown) => unknown>>;

/** Brings stored data up to the newest schema version of its type. */
export function upcast(
  upcasters: Upcasters,
  type: string,
  schemaVersion: number,
  data: unknown,
): { data: unknown; schemaVersion: number } {
  const steps = upcasters[type];
  let version = schemaVersion;
  let current = data;
  for (let step = steps?.[version]; step !== undefined; step = steps?.[version]) {
    current = step(current);
    version += 1;
  }
  return { data: current, schemaVersion: version };
}

/** The schema version new events of a type are written with: one past its last upcaster. */
export function currentSchemaVersion(upcasters: Upcasters, type: string): number {
  const versions = Object.keys(upcasters[type] ?? {}).map(Number);
  return versions.length === 0 ? 1 : Math.max(...versions) + 1;
}
