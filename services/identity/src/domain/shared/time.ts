/*
 * Events hold instants as ISO-8601 UTC strings (they are stored as JSON, where a Date would come
 * back as a string anyway); states hold epoch milliseconds so that deciders can do arithmetic.
 */

/** An instant as it is written into an event. */
export const iso = (at: Date): string => at.toISOString();

/** An event's instant as epoch milliseconds. */
export const ms = (isoInstant: string): number => Date.parse(isoInstant);

/** `at` plus some seconds, as an event instant. */
export const isoPlusSeconds = (at: Date, seconds: number): string =>
  new Date(at.getTime() + seconds * 1000).toISOString();

/** Whole seconds from `at` until `untilMs`, rounded up so that a client never retries too early. */
export const secondsUntil = (at: Date, untilMs: number): number =>
  Math.max(0, Math.ceil((untilMs - at.getTime()) / 1000));
