import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { type ConfigProblem, type ConfigRule, type RawConfig, standardRules } from './rules.js';

/** Thrown by loadConfig: every problem found, one per line, without any value. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.key}: ${p.message}`);
    super(`Invalid configuration (${problems.length} problem(s)):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigOptions {
  /** Service-specific cross-key rules, checked together with the standard ones. */
  rules?: readonly ConfigRule[];
  /** How to read a `<KEY>_FILE`; tests pass a fake. */
  readFile?: (path: string) => string;
}

type Env = Readonly<Record<string, string | undefined>>;

const isBlank = (v: string | undefined): v is undefined => v === undefined || v.trim() === '';

const readUtf8 = (path: string): string => readFileSync(path, 'utf8');

/**
 * The raw value of each key the schema declares, from `KEY` or from the file named by `KEY_FILE`.
 * A blank variable counts as unset, since `FOO=` in a manifest usually means "not configured".
 */
function collectRaw(
  keys: readonly string[],
  env: Env,
  readFile: (path: string) => string,
): { raw: Record<string, string | undefined>; problems: ConfigProblem[] } {
  const raw: Record<string, string | undefined> = {};
  const problems: ConfigProblem[] = [];
  const declared = new Set(keys);
  for (const key of keys) {
    const fileKey = `${key}_FILE`;
    const direct = env[key];
    const file = declared.has(fileKey) ? undefined : env[fileKey];
    if (isBlank(file)) {
      raw[key] = isBlank(direct) ? undefined : direct;
      continue;
    }
    if (!isBlank(direct)) {
      problems.push({ key, message: `set either ${key} or ${fileKey}, not both` });
      continue;
    }
    try {
      // Secret files usually end with a newline that is not part of the secret.
      const contents = readFile(file).replace(/\r?\n$/, '');
      raw[key] = isBlank(contents) ? undefined : contents;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      problems.push({
        key: fileKey,
        message: `cannot read the file${typeof code === 'string' ? ` (${code})` : ''}`,
      });
    }
  }
  return { raw, problems };
}

function describeIssue(issue: z.core.$ZodIssue, raw: RawConfig): ConfigProblem {
  const key = issue.path.map(String).join('.') || '(root)';
  const top = issue.path[0];
  // zod says "expected string, received undefined"; people need "is required".
  if (issue.code === 'invalid_type' && issue.path.length === 1 && raw[String(top)] === undefined) {
    return { key, message: 'is required' };
  }
  return { key, message: issue.message };
}

/**
 * Parses the environment with a service's schema. Throws one ConfigError that lists every problem:
 * missing and malformed keys, unreadable `_FILE`s and cross-key rules, never echoing a value.
 */
export function loadConfig<Schema extends z.ZodObject>(
  schema: Schema,
  env: Env = process.env,
  options: LoadConfigOptions = {},
): z.output<Schema> {
  const keys = Object.keys(schema.shape);
  const { raw, problems } = collectRaw(keys, env, options.readFile ?? readUtf8);
  // A key whose file could not be used is already reported; "is required" on top would mislead.
  const reported = new Set(problems.map((p) => p.key.replace(/_FILE$/, '')));
  const later: ConfigProblem[] = [];
  const result = schema.safeParse(raw, { reportInput: false });
  if (!result.success) later.push(...result.error.issues.map((i) => describeIssue(i, raw)));
  const declared = new Set(keys);
  for (const rule of [...standardRules, ...(options.rules ?? [])]) {
    if (rule.keys.every((k) => declared.has(k))) later.push(...rule.check(raw));
  }
  problems.push(...later.filter((p) => !reported.has(p.key.split('.')[0] ?? p.key)));
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data as z.output<Schema>;
}
