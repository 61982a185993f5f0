import { schemaNameOf } from '@medspa/db';

/** Scheduling's schema, where its read models live (`scheduling`, in every mode and test). */
export const SCHEMA = schemaNameOf('scheduling');

/** The channel on which the day calendar's read models announce which clinic changed. */
export const CALENDAR_CHANGES = 'scheduling_calendar_changed';
