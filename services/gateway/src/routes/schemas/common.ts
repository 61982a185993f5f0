import { z } from 'zod';

// REST bodies are the proto3 JSON of the services' messages (camelCase fields, enum names,
// RFC 3339 instants), validated here first so bad input is a 400 with field errors before any
// upstream call. Responses omit fields at their default, as proto3 JSON does, hence `.partial()`.

/** A record id (UUID). */
export const Id = z.uuid();
/** An id the caller may choose for a new record (a retried request is then detected), or omit. */
export const ChosenId = z.union([z.uuid(), z.literal('')]).optional();
/** An instant, RFC 3339 with offset. */
export const Instant = z.iso.datetime({ offset: true });
/** A local date of the location, YYYY-MM-DD. */
export const LocalDate = z.iso.date();
/** Wall-clock time, HH:MM (24:00 ends a day). */
export const WallClock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM');
/** A catalogue label or code: short, one line. */
export const Label = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\n\r]*$/, 'one line');
export const Code = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9_]+$/, 'expected a lower_snake code');
/** An IANA time zone name. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_+-]+(?:\/[A-Za-z0-9_+-]+)*$/);

/** Integer minor units and an ISO 4217 code. */
export const Money = z.object({
  amountMinor: z.number().int().safe(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
});
export const MoneyOut = Money.partial();

/** The names of a ts-proto enum, without UNRECOGNIZED (and without UNSPECIFIED for inputs). */
export function protoEnum<E extends Record<string, string | number>>(
  e: E,
  options: { input?: boolean } = {},
) {
  const names = Object.keys(e).filter(
    (k) =>
      Number.isNaN(Number(k)) &&
      k !== 'UNRECOGNIZED' &&
      !(options.input === true && k.endsWith('_UNSPECIFIED')),
  );
  return z.enum(names as [string, ...string[]]);
}

/** An empty success body. */
export const Empty = z.object({});
