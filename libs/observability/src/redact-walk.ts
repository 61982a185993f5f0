import { serializeError } from './error-serializer.js';
import { REDACTED, normalizeKey } from './redaction.js';

// Deeper than any log object we write on purpose; past it the value is dropped rather than leaked.
const MAX_DEPTH = 8;
const TRUNCATED = '[TRUNCATED]';

/**
 * A copy of `value` for logging: values under a key in `keys` become [REDACTED] at any depth,
 * errors anywhere go through `serializeError` (JSON of a driver error would print its `detail`),
 * and anything nested deeper than MAX_DEPTH is dropped. The caller's object is never changed.
 *
 * One walk replaces pino's path-based `redact`: with ~60 keys at depths 0..3 that needs ~360
 * wildcard paths, measured at ~200 µs per line, against a few µs for this walk.
 */
export function redactKeys(value: unknown, keys: ReadonlySet<string>): unknown {
  return walk(value, keys, 0, new Set());
}

function walk(value: unknown, keys: ReadonlySet<string>, depth: number, ancestors: Set<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return serializeError(value);
  if (depth >= MAX_DEPTH) return TRUNCATED;
  if (ancestors.has(value)) return '[Circular]';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    // Dates, Buffers and value objects: log what JSON.stringify would print, walked like the rest.
    const json: unknown = toJSON.call(value);
    return json === value ? json : walk(json, keys, depth, ancestors);
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => walk(item, keys, depth + 1, ancestors));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        item !== undefined && item !== null && keys.has(normalizeKey(key))
          ? REDACTED
          : walk(item, keys, depth + 1, ancestors);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}
