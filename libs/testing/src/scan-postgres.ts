import pg from 'pg';
import type { Canaries, CanaryHit } from './canary.js';
import { findCanariesInText } from './canary.js';

export interface ScanPostgresOptions {
  /** Schemas to read; every non-system schema when omitted. */
  schemas?: string[];
}

interface ColumnRow {
  schema: string;
  table: string;
  column: string;
  is_bytea: boolean;
}

// Ordinary tables and materialized views: everything that stores rows. Partitioned parents are left out
// because their partitions are ordinary tables and would otherwise be read twice.
const COLUMNS_SQL = `
  SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, a.atttypid = 'bytea'::regtype AS is_bytea
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  WHERE c.relkind IN ('r', 'm')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
    AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))
  ORDER BY n.nspname, c.relname, a.attnum`;

/**
 * Reads every column of every table in the given schemas and reports canaries stored in plaintext.
 * Every column is read, not only text, jsonb and bytea: a date of birth in a `date` column is a leak too.
 * Connect as a superuser (createTestDatabase() URLs are) so row-level security hides no rows.
 */
export async function scanPostgres(
  url: string,
  canaries: Canaries,
  options: ScanPostgresOptions = {},
): Promise<CanaryHit[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: columns } = await client.query<ColumnRow>(COLUMNS_SQL, [options.schemas ?? null]);
    const tables = new Map<string, ColumnRow[]>();
    for (const column of columns) {
      const key = `${column.schema}.${column.table}`;
      tables.set(key, [...(tables.get(key) ?? []), column]);
    }
    const hits: CanaryHit[] = [];
    for (const [tableName, tableColumns] of tables) {
      hits.push(...(await scanTable(client, tableName, tableColumns, canaries)));
    }
    return hits;
  } finally {
    await client.end();
  }
}

async function scanTable(
  client: pg.Client,
  tableName: string,
  columns: ColumnRow[],
  canaries: Canaries,
): Promise<CanaryHit[]> {
  const first = columns[0];
  if (first === undefined) return [];
  const id = (name: string): string => client.escapeIdentifier(name);
  // bytea comes back as a Buffer (searched byte for byte); every other type as its text form.
  const selectList = columns.map((c, i) =>
    c.is_bytea ? `${id(c.column)} AS c${i}` : `${id(c.column)}::text AS c${i}`,
  );
  const { rows } = await client.query<Record<string, string | Buffer | null>>(
    `SELECT ctid::text AS row_id, ${selectList.join(', ')} FROM ${id(first.schema)}.${id(first.table)}`,
  );
  const hits: CanaryHit[] = [];
  for (const row of rows) {
    columns.forEach((column, i) => {
      const value = row[`c${i}`];
      if (value === null || value === undefined) return;
      // latin1 maps each byte to one character, so ASCII needles are found wherever the bytes hold them.
      const text = typeof value === 'string' ? value : value.toString('latin1');
      const location = `postgres:${tableName}.${column.column}@${String(row.row_id)}`;
      hits.push(...findCanariesInText(text, canaries, location));
    });
  }
  return hits;
}
