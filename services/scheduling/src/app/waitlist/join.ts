import type { Decider, DomainEvent, EventStore } from '@medspa/eventstore';
import { errors } from '@medspa/errors';
import { requireId } from '../../domain/shared/fields.js';
import { loadStream, STREAMS, streamIdOf } from '../streams.js';

type Kind = 'location' | 'treatment' | 'provider';
const LIVE: Record<Kind, string> = { location: 'active', treatment: 'offered', provider: 'active' };

async function requireLive(store: EventStore, tenantId: string, kind: Kind, id: string, field: string) {
  const reason = `${kind.toUpperCase()}_NOT_FOUND`;
  const decider = STREAMS[kind].decider as Decider<unknown, DomainEvent, { status: string }>;
  const { state } = await loadStream(
    store,
    streamIdOf(kind, requireId(id, field)),
    decider,
    tenantId,
    reason,
  );
  if (state.status === LIVE[kind]) return;
  if (state.status === 'unknown' || state.status === 'unregistered')
    throw errors.notFound(reason, `No such ${kind}`);
  throw errors.precondition(`${kind.toUpperCase()}_INACTIVE`, `The ${kind} is no longer available`);
}

/**
 * What a patient waits for must exist in this clinic and be on offer: the location, the treatment
 * and every provider named (another tenant's ids read as not found). Checked against the streams.
 */
export async function requireWaitable(
  store: EventStore,
  tenantId: string,
  wish: { locationId: string; treatmentId: string; providerIds: readonly string[] },
): Promise<void> {
  await requireLive(store, tenantId, 'location', wish.locationId, 'locationId');
  await requireLive(store, tenantId, 'treatment', wish.treatmentId, 'treatmentId');
  for (const [i, id] of wish.providerIds.entries()) {
    await requireLive(store, tenantId, 'provider', id, `providerIds.${i}`);
  }
}
