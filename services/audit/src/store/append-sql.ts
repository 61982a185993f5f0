// Statements of the batch append, in the order one transaction runs them (see append.ts).

/** Creates missing chains; a concurrent creator of the same chain is harmless. */
export const CREATE_CHAINS = `
INSERT INTO audit.chains (tenant_id, head_hash)
SELECT * FROM unnest($1::uuid[], $2::bytea[])
ON CONFLICT (tenant_id) DO NOTHING`;

/**
 * Locks the heads of the batch's chains. ORDER BY makes every appender lock in the same order, so
 * two batches touching the same chains queue instead of deadlocking. `appended_at` never goes
 * backwards along a chain (kept as text: microseconds, and no -infinity surprises in JS).
 */
export const LOCK_HEADS = `
SELECT tenant_id, head_seq, head_hash, greatest(head_appended_at, now())::text AS appended_at
FROM audit.chains WHERE tenant_id = ANY($1::uuid[])
ORDER BY tenant_id FOR UPDATE`;

/** Message ids already stored. Runs after the locks, so it sees what a competing appender committed. */
export const FIND_STORED = `
SELECT message_id, tenant_id FROM audit.entry_messages WHERE message_id = ANY($1::uuid[])`;

/**
 * One statement writes every entry, registers the message ids and moves the chain heads. The bytes
 * travel as three binary parameters (canonical documents back to back, and the 32-byte hashes)
 * cut apart here: as bytea[] they would be hex text twice the size, built and parsed row by row.
 */
export const INSERT_ENTRIES = `
WITH rows AS (
  SELECT r.*, substring($18::bytea FROM (r.ord::int - 1) * 32 + 1 FOR 32) AS prev_hash,
    substring($19::bytea FROM (r.ord::int - 1) * 32 + 1 FOR 32) AS entry_hash
  FROM unnest(
    $1::uuid[], $2::bigint[], $3::timestamptz[], $4::uuid[], $5::text[], $6::timestamptz[],
    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::integer[],
    $14::bigint[], $16::integer[], $17::integer[]) WITH ORDINALITY
    AS r(tenant_id, seq, appended_at, message_id, event_type, occurred_at, actor_id, actor_role,
      subject_id, action, correlation_id, source_topic, source_partition, source_offset,
      canonical_from, canonical_length, ord)
), entries AS (
  INSERT INTO audit.entries (
    tenant_id, seq, appended_at, message_id, event_type, occurred_at, actor_id, actor_role,
    subject_id, action, correlation_id, source_topic, source_partition, source_offset,
    canonical, prev_hash, entry_hash)
  SELECT tenant_id, seq, appended_at, message_id, event_type, occurred_at, actor_id, actor_role,
    subject_id, action, correlation_id, source_topic, source_partition, source_offset,
    substring($15::bytea FROM canonical_from FOR canonical_length), prev_hash, entry_hash
  FROM rows
), messages AS (
  INSERT INTO audit.entry_messages (message_id, tenant_id, seq)
  SELECT message_id, tenant_id, seq FROM rows
)
UPDATE audit.chains c
SET head_seq = h.seq, head_hash = h.hash, head_appended_at = h.appended_at
FROM unnest($20::uuid[], $21::bigint[], $22::bytea[], $23::timestamptz[]) AS h(tenant_id, seq, hash, appended_at)
WHERE c.tenant_id = h.tenant_id`;
