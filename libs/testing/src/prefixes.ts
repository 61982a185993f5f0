import { randomBytes } from 'node:crypto';

const randomId = (): string => randomBytes(5).toString('hex');

/**
 * A topic prefix no other test file uses, e.g. `test-9f2c41ab07.`; name topics `${prefix}appointments`.
 * Only '-' and '.' are used because Kafka treats '.' and '_' as colliding in metric names.
 */
export const testTopicPrefix = (): string => `test-${randomId()}.`;

/** A key prefix no other test file uses, e.g. `test:9f2c41ab07:`. */
export const testRedisPrefix = (): string => `test:${randomId()}:`;
