const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a SQL identifier we generate (schema, table, role); refuses anything but plain snake_case. */
export function quoteIdent(name: string): string {
  if (!IDENT.test(name)) throw new Error(`Unsafe SQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** A service name (`patient-record`) as the snake_case used for its schema and roles. */
export const schemaNameOf = (service: string): string => service.replaceAll('-', '_');

/** Postgres error code of a driver error, if any. */
export const pgCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
