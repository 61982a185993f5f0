import { defineConfig } from 'vitest/config';

// Three tiers selected by file suffix; each runs on its own (`--project unit|int|e2e`).
// int and e2e share one global setup that starts real PostgreSQL, Kafka and Redis once per run.
const infraSetup = ['libs/testing/src/global-setup.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['{libs,services,infra,bench}/**/*.unit.spec.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['{libs,services,infra,bench}/**/*.int.spec.ts'],
          globalSetup: infraSetup,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['{libs,services,infra,bench}/**/*.e2e.spec.ts'],
          globalSetup: infraSetup,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
