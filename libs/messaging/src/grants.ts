import pg from 'pg';
import { quoteIdent } from '@medspa/db';

/**
 * The one cross-schema grant of the platform, for the Postgres-tail transport (embedded mode): the
 * consumer's role may read the producer's outbox and nothing else of the producer's schema (USAGE
 * on a schema only lets a role name its objects; each table still needs its own grant). Run as a
 * superuser or the producer's owner; idempotent.
 */
export async function grantOutboxRead(
  adminUrl: string,
  producerSchema: string,
  consumerRole: string,
): Promise<void> {
  const [s, r] = [quoteIdent(producerSchema), quoteIdent(consumerRole)];
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'grant-outbox-read' });
  await client.connect();
  try {
    await client.query(`GRANT USAGE ON SCHEMA ${s} TO ${r}; GRANT SELECT ON ${s}.outbox TO ${r};`);
  } finally {
    await client.end();
  }
}
