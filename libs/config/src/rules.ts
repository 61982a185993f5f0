/** One thing wrong with the configuration: the key and what is wrong with it, never its value. */
export interface ConfigProblem {
  key: string;
  message: string;
}

/** The raw values a rule sees: strings as set (after `_FILE` resolution), blanks already removed. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/**
 * A check across several keys. Rules read raw strings rather than the parsed result because zod
 * skips object-level refinements once a field has failed, and every problem must be listed at once.
 */
export interface ConfigRule {
  /** The rule applies only when the schema declares all of these keys. */
  keys: readonly string[];
  check(raw: RawConfig): ConfigProblem[];
}

/** A rule: `key` must be set when `condition` holds; `because` completes "is required when ...". */
export function requiredWhen(
  key: string,
  condition: { keys: readonly string[]; holds: (raw: RawConfig) => boolean; because: string },
): ConfigRule {
  return {
    keys: [key, ...condition.keys],
    check: (raw) =>
      condition.holds(raw) && raw[key] === undefined
        ? [{ key, message: `is required when ${condition.because}` }]
        : [],
  };
}

/** A rule: at least one of `keys` must be set. */
export function oneOf(keys: readonly [string, string, ...string[]]): ConfigRule {
  return {
    keys,
    check: (raw) =>
      keys.some((k) => raw[k] !== undefined)
        ? []
        : [{ key: keys.join(' | '), message: `one of ${keys.join(', ')} is required` }],
  };
}

const kafka = (raw: RawConfig): boolean => raw.TRANSPORT === 'kafka';
const sasl = (raw: RawConfig): boolean => raw.KAFKA_SASL_MECHANISM !== undefined;

/** Rules for the shared building blocks; the loader applies each one whose keys the schema has. */
export const standardRules: readonly ConfigRule[] = [
  requiredWhen('KAFKA_BROKERS', { keys: ['TRANSPORT'], holds: kafka, because: 'TRANSPORT=kafka' }),
  requiredWhen('KAFKA_SASL_USERNAME', {
    keys: ['KAFKA_SASL_MECHANISM'],
    holds: sasl,
    because: 'KAFKA_SASL_MECHANISM is set',
  }),
  requiredWhen('KAFKA_SASL_PASSWORD', {
    keys: ['KAFKA_SASL_MECHANISM'],
    holds: sasl,
    because: 'KAFKA_SASL_MECHANISM is set',
  }),
  oneOf(['JWKS_URL', 'IDENTITY_GRPC_ADDR']),
];
