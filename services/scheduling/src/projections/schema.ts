import { schemaNameOf } from '@medspa/db';

/** Scheduling's schema, where its read models live (`scheduling`, in every mode and test). */
export const SCHEMA = schemaNameOf('scheduling');
