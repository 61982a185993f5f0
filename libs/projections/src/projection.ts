import type { Queryable } from '@medspa/db';
import type { DomainEvent, RecordedEvent } from '@medspa/eventstore';

interface ProjectionBase {
  /**
   * Stable snake_case key: names the checkpoint row, the leadership lock and the metrics' `projection`
   * attribute. Renaming it starts the read model over from the beginning of the log.
   */
  name: string;
  /** Only events of these stream types are read (filtered in SQL). All when omitted. */
  streamTypes?: readonly string[];
  /** Only events of these types reach `apply`; the checkpoint still moves past the others. */
  eventTypes?: readonly string[];
  /** The read model's tables in the service's schema (unqualified), emptied by a rebuild. */
  tables: readonly string[];
}

/**
 * Writes one event into the read model. The transaction is already scoped to the event's tenant
 * (row-level security), and commits together with the projection's checkpoint.
 */
interface AppliesOneByOne<E extends DomainEvent> {
  apply(db: Queryable, event: RecordedEvent<E>): Promise<void>;
  applyBatch?: never;
}

/**
 * Writes a run of consecutive events of one tenant (in log order) at once, e.g. with one `unnest`
 * statement: the fast path for rebuilds.
 */
interface AppliesBatches<E extends DomainEvent> {
  applyBatch(db: Queryable, events: readonly RecordedEvent<E>[]): Promise<void>;
  apply?: never;
}

/** A read model fed from the service's own log: one folder per read model holds it and its queries. */
export type Projection<E extends DomainEvent = DomainEvent> = ProjectionBase &
  (AppliesOneByOne<E> | AppliesBatches<E>);

/** Declares a projection (an identity function that keeps the event type for `apply`). */
export function defineProjection<E extends DomainEvent>(projection: Projection<E>): Projection<E> {
  return projection;
}

/** Whether a projection wants this event (after the SQL stream-type filter). */
export function handles(projection: Pick<ProjectionBase, 'eventTypes'>, event: RecordedEvent): boolean {
  return projection.eventTypes === undefined || projection.eventTypes.includes(event.type);
}
