import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The deploy checks, outside the root config's unit/int/e2e projects (which cover libs, services,
// infra and bench): `chart` (run by deploy/chart-check.sh, which supplies helm and kubeconform) and
// `deploy` (builds services the way the Dockerfile does and starts them; makes the local Secrets).
const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    projects: [
      {
        extends: true,
        test: { name: 'chart', include: ['deploy/chart/**/*.unit.spec.ts'], testTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'deploy',
          include: ['deploy/**/*.e2e.spec.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
