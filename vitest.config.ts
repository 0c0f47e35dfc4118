import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['warehouse/src/**/*.test.ts', 'api/src/**/*.test.ts', 'fixtures/src/**/*.test.ts', 'web/src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/.tmp/**'],
    globalSetup: ['tests/setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
