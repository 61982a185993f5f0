const NAME = /^[a-z_][a-z0-9_]*$/;

const name = (value: string, what: string): string => {
  if (!NAME.test(value)) throw new TypeError(`${what} must be a plain lower-case SQL name`);
  return value;
};

/**
 * Triggers that announce, when a transaction commits, which clinics' rows of a read model it
 * changed: a NOTIFY on `channel` per tenant id (Postgres folds repeats within a transaction), and
 * `*` for a TRUNCATE (a rebuild). Statement-level, so a projection batch costs one trigger call
 * per statement, not per row. The payload is a tenant id: no PHI. Every writer of the tables is
 * covered (projections, rebuilds, purges), which a notification sent by the projector would not be.
 */
export function tenantChangeNotifySql(schema: string, tables: readonly string[], channel: string): string {
  const s = name(schema, 'The schema');
  const ch = name(channel, 'The channel');
  const fn = `${s}.notify_${ch}`;
  const perTable = tables.map((t) => {
    const table = `${s}.${name(t, 'A table')}`;
    const trigger = `${name(t, 'A table')}_${ch}`;
    return `
CREATE TRIGGER ${trigger}_ins AFTER INSERT ON ${table}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
CREATE TRIGGER ${trigger}_upd AFTER UPDATE ON ${table}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
CREATE TRIGGER ${trigger}_del AFTER DELETE ON ${table}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
CREATE TRIGGER ${trigger}_trunc AFTER TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`;
  });
  // Each branch names only the transition tables its event has (the others do not exist there).
  return `
CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pg_notify('${ch}', t::text) FROM (SELECT DISTINCT tenant_id FROM new_rows) AS c(t);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM pg_notify('${ch}', t::text)
       FROM (SELECT tenant_id FROM new_rows UNION SELECT tenant_id FROM old_rows) AS c(t);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('${ch}', t::text) FROM (SELECT DISTINCT tenant_id FROM old_rows) AS c(t);
  ELSE
    PERFORM pg_notify('${ch}', '*');
  END IF;
  RETURN NULL;
END
$fn$;
${perTable.join('\n')}
`;
}
