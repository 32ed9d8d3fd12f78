import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    globalSetup: ['test/support/global-setup.ts'],
    // Emulator-backed tests wait on real Pub/Sub push delivery.
    testTimeout: 30_000,
    // The Google clients otherwise probe for a metadata server that is not there.
    env: { METADATA_SERVER_DETECTION: 'none' },
    hookTimeout: 60_000,
  },
});
