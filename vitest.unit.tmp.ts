import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['warehouse/src/**/*.test.ts', 'tests/integration/loader.test.ts'] } });
