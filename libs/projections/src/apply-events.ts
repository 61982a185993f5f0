import { setTenant, type PoolClient } from '@medspa/db';
import type { RecordedEvent } from '@medspa/eventstore';
import { handles, type Projection } from './projection.js';

/** Consecutive events of the same tenant, in log order. */
export function tenantRuns(events: readonly RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  let current: RecordedEvent[] | undefined;
  for (const event of events) {
    if (current === undefined || current[0]?.metadata.tenantId !== event.metadata.tenantId) {
      current = [];
      runs.push(current);
    }
    current.push(event);
  }
  return runs;
}

/**
 * Applies events inside the caller's transaction, switching `app.tenant_id` at every change of
 * tenant, so the read model's row-level-security policies (WITH CHECK) refuse a write into any
 * tenant but the event's. Runs are kept in log order rather than regrouped per tenant: a projection
 * then never sees events out of the order the log delivered them in.
 */
export async function applyEvents(
  client: PoolClient,
  projection: Projection,
  events: readonly RecordedEvent[],
): Promise<number> {
  let applied = 0;
  for (const run of tenantRuns(events.filter((e) => handles(projection, e)))) {
    // A missing tenant becomes '' which matches no policy: the write is refused, never cross-tenant.
    await setTenant(client, run[0]?.metadata.tenantId ?? '');
    if (projection.applyBatch !== undefined) await projection.applyBatch(client, run);
    else for (const event of run) await projection.apply(client, event);
    applied += run.length;
  }
  return applied;
}
