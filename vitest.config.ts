import { defineConfig } from 'vitest/config';

// One vitest run covers every TypeScript package. Integration tests that start real
// components (registry, dockerd, qemu) live beside the unit tests and share one
// global setup, so each component starts once per run.
export default defineConfig({
  test: {
    include: [
      'libs/*/src/**/*.test.ts',
      'libs/*/test/**/*.test.ts',
      'tools/*/src/**/*.test.ts',
      'tools/*/test/**/*.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['tools/scripts/testing/global-setup.ts'],
  },
});
