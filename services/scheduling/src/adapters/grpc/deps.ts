import type { Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';

/** What the RPC handlers need: the store, the app-role pool, the clock and the events topic. */
export interface SchedulingDeps {
  store: EventStore;
  pool: Pool;
  now: () => Date;
  /** `medspa.scheduling.events.v1` (prefixed in tests): access events go there too. */
  topic: string;
}
