/** A JSON value that the canonical encoding accepts: no undefined, no NaN or Infinity, no lone surrogates. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

// A UTF-16 surrogate that is not half of a pair: I-JSON (which RFC 8785 requires) forbids it,
// and it would not survive a round trip through UTF-8.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), as UTF-8 bytes: object keys sorted by UTF-16 code
 * units, no insignificant whitespace, numbers and strings serialised as ECMAScript's JSON.stringify
 * does. The same value always gives the same bytes, in any language with a JCS library, so an
 * exported audit entry can be re-hashed by an auditor's own tools.
 */
export function canonicalJson(value: JsonValue): Buffer {
  return Buffer.from(serialise(value, ''), 'utf8');
}

function serialise(value: JsonValue, path: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Canonical JSON: ${path || 'value'} is not finite`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value))
      throw new TypeError(`Canonical JSON: ${path || 'value'} holds a lone surrogate`);
    return JSON.stringify(value);
  }
  if (typeof value === 'object')
    return isArray(value) ? serialiseArray(value, path) : serialiseObject(value, path);
  // Only reachable from untyped callers: undefined, functions, bigints, symbols.
  throw new TypeError(`Canonical JSON: ${path || 'value'} has type ${typeof value}`);
}

const isArray = (value: JsonValue): value is readonly JsonValue[] => Array.isArray(value);

function serialiseArray(items: readonly JsonValue[], path: string): string {
  return `[${items.map((item, i) => serialise(item, `${path}[${i}]`)).join(',')}]`;
}

function serialiseObject(object: JsonObject, path: string): string {
  // The default sort compares UTF-16 code units, which is exactly the order RFC 8785 §3.2.3 asks for.
  const keys = Object.keys(object).sort();
  const members: string[] = [];
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) throw new TypeError(`Canonical JSON: ${path}.${key} is undefined`);
    members.push(`${serialise(key, `${path}.<key>`)}:${serialise(member, `${path}.${key}`)}`);
  }
  return `{${members.join(',')}}`;
}
