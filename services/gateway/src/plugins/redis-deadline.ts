import { errors } from '@medspa/errors';

/**
 * Resolves with the Redis call's result, or rejects when Redis does not answer within `ms`. A
 * Redis that hangs must not hang every request: each plugin then applies its fail-open or
 * fail-closed rule exactly as for a refused connection.
 */
export async function withinDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(errors.unavailable('REDIS_TIMEOUT', 'Redis did not answer')), ms);
  });
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
