import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and e2e tests start real servers, redis-server and Chromium: two cores, so two files at a time.
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['tests/helpers/globalSetup.ts'],
  },
});
