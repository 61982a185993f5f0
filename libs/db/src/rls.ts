import { quoteIdent } from './sql.js';

/**
 * SQL that makes a table tenant-isolated: RLS enabled and FORCE'd (owners too), one policy comparing
 * `tenant_id` with the transaction's `app.tenant_id`. An unset tenant matches no row at all.
 */
export function tenantIsolationSql(schema: string, table: string): string {
  const t = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const current = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";
  return `
ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${t}
  USING (tenant_id = ${current})
  WITH CHECK (tenant_id = ${current});
`;
}
