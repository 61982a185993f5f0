import { v7 } from 'uuid';

/** A time-ordered UUIDv7: ids sort by creation, which keeps btree inserts at the right edge. */
export const newId = (): string => v7();
