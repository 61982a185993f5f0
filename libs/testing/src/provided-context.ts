import { inject } from 'vitest';

// What libs/testing/src/global-setup.ts hands to every test file of the int and e2e projects.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the `postgres` database of the shared test cluster. */
    adminDatabaseUrl: string;
    /** Kafka bootstrap address, `host:port`. */
    kafkaBrokers: string;
    /** `redis://host:port` */
    redisUrl: string;
  }
}

function provided<K extends 'adminDatabaseUrl' | 'kafkaBrokers' | 'redisUrl'>(key: K): string {
  const value = inject(key) as string | undefined;
  if (value === undefined || value === '') {
    throw new Error(
      `No ${key} was provided. Real infrastructure exists only in the int and e2e projects ` +
        '(*.int.spec.ts, *.e2e.spec.ts), whose globalSetup is libs/testing/src/global-setup.ts.',
    );
  }
  return value;
}

/** Superuser URL of the test cluster's `postgres` database; prefer createTestDatabase() in tests. */
export const adminDatabaseUrl = (): string => provided('adminDatabaseUrl');

/** Bootstrap address of the test Kafka broker, `host:port`. */
export const kafkaBrokers = (): string => provided('kafkaBrokers');

/** URL of the test Redis. */
export const redisUrl = (): string => provided('redisUrl');
