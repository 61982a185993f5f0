import { z } from 'zod';

// Messages describe what is expected, never what was given: a value may be a secret or hold a
// password (a database URL), and config errors end up in logs and CI output.

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const durationPart = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const durationWhole = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/** Milliseconds in a duration such as `500ms`, `30s`, `15m`, `2h`, `1d` or `1h30m`; undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim();
  if (!durationWhole.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(durationPart)) {
    total += Number(amount) * unitMs[unit as keyof typeof unitMs];
  }
  return Math.round(total);
}

/** A duration from the environment (`15m`, `500ms`), parsed to milliseconds. */
export function duration(fallback?: string): z.ZodType<number> {
  const schema = z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms !== undefined) return ms;
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 500ms, 30s, 15m, 2h or 1h30m' });
    return z.NEVER;
  });
  return fallback === undefined ? schema : schema.prefault(fallback);
}

/** A boolean from an env string (`true/false`, `1/0`, `yes/no`, `on/off`); `z.coerce.boolean` would read "false" as true. */
export function booleanFlag(fallback?: boolean): z.ZodType<boolean> {
  const schema = z.stringbool({ error: 'must be true or false (or 1/0, yes/no, on/off)' });
  return fallback === undefined ? schema : schema.default(fallback);
}

/** A comma-separated list (`a, b,c`), each item checked by `item`; blanks between commas are dropped. */
export function commaList<T>(item: z.ZodType<T, string>): z.ZodType<T[]> {
  return z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item).min(1, { error: 'must list at least one item' }));
}

/** A TCP port number. */
export function port(fallback?: number): z.ZodType<number> {
  const schema = z
    .string()
    .regex(/^\d+$/, { error: 'must be a port number' })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: 'must be 1..65535' }).max(65535, { error: 'must be 1..65535' }));
  return fallback === undefined ? schema : schema.default(fallback);
}

/** A whole number within bounds, from an env string. */
export function integer(bounds: { min?: number; max?: number } = {}, fallback?: number): z.ZodType<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  const schema = z
    .string()
    .regex(/^-?\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );
  return fallback === undefined ? schema : schema.default(fallback);
}

/** A ratio in [0, 1], such as a trace sampling rate. */
export function ratio(fallback?: number): z.ZodType<number> {
  const schema = z
    .string()
    .regex(/^(?:0|1|0?\.\d+|1\.0+)$/, { error: 'must be a number from 0 to 1' })
    .transform(Number);
  return fallback === undefined ? schema : schema.default(fallback);
}

function urlWithProtocols(protocols: readonly string[], what: string): z.ZodType<string, string> {
  return z.string().refine(
    (text) => {
      if (!URL.canParse(text)) return false;
      const url = new URL(text);
      return protocols.includes(url.protocol) && url.hostname.length > 0;
    },
    { error: `must be ${what}` },
  );
}

/** A PostgreSQL connection URL with a host and a database name. */
export function postgresUrl(): z.ZodType<string, string> {
  return urlWithProtocols(['postgres:', 'postgresql:'], 'a postgres:// URL with a host').refine(
    (text) => new URL(text).pathname.length > 1,
    { error: 'must name a database (postgres://user@host:5432/<database>)' },
  );
}

/** An http(s) URL. */
export function httpUrl(): z.ZodType<string, string> {
  return urlWithProtocols(['http:', 'https:'], 'an http:// or https:// URL');
}

/** A Redis URL (`redis://` or `rediss://`). */
export function redisUrl(): z.ZodType<string, string> {
  return urlWithProtocols(['redis:', 'rediss:'], 'a redis:// or rediss:// URL');
}

// grpc-js target forms we use: host:port, [v6]:port, dns:///host:port, unix:/path.
const grpcTarget = /^(?:(?:dns:(?:\/\/[^/]*\/)?)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}|unix:\S+)$/;

/** A gRPC target such as `scheduling:50051`, `dns:///scheduling:50051` or `unix:/run/x.sock`. */
export function grpcAddress(): z.ZodType<string, string> {
  return z.string().regex(grpcTarget, { error: 'must be a gRPC address such as host:50051' });
}

/** A `host:port` pair, such as a Kafka broker. */
export function hostPort(): z.ZodType<string, string> {
  return z.string().regex(/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { error: 'must be host:port' });
}

/**
 * A secret (password, API key, signing key). Like any key, it can come from the file named by
 * `<KEY>_FILE`, which is how Kubernetes and Docker hand secrets over without putting them in the env.
 */
export function secret(): z.ZodType<string, string> {
  return z.string().min(1, { error: 'must not be empty' });
}
