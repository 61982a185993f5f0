import type { Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';
import type { TenantReadCache } from '@medspa/projections';
import type { GetDayCalendarResponse } from '@medspa/contracts/medspa.scheduling.v1';
import type { CascadeSettings } from '../../app/waitlist/cascade-step.js';

/** What the RPC handlers need: the store, the app-role pool, the clock, the events topic and the waitlist's timings. */
export interface SchedulingDeps {
  store: EventStore;
  pool: Pool;
  now: () => Date;
  /** `medspa.scheduling.events.v1` (prefixed in tests): access events go there too. */
  topic: string;
  /** Offer hold time and the cascade's retry periods. */
  waitlist: CascadeSettings;
  /** Day calendars remembered until the read models announce a change of the clinic. */
  dayCalendars?: TenantReadCache<GetDayCalendarResponse>;
}
