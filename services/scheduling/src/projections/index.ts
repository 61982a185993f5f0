import type { RebuildTarget } from '@medspa/projections';
import { appointmentsProjection } from './appointments/projection.js';
import { calendarHoldsProjection } from './calendar-holds/projection.js';
import { catalogueProjection } from './catalogue/projection.js';
import { SCHEMA } from './schema.js';
import { utilisationProjection } from './utilisation/projection.js';
import { waitlistProjection } from './waitlist/projection.js';

/** Every read model of scheduling, run side by side by the projection runner. */
export const projections = [
  catalogueProjection,
  calendarHoldsProjection,
  appointmentsProjection,
  waitlistProjection,
  utilisationProjection,
];

/** What `main.ts rebuild <name>` rebuilds. */
export const rebuildTarget: RebuildTarget = { schema: SCHEMA, projections };
