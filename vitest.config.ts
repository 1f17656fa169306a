import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'audit-chain/**/*.test.ts',
      'shared/**/*.test.ts',
      'models/**/*.test.ts',
      'server/**/*.test.ts',
      'scripts/**/*.test.ts',
      // Renderer logic without a DOM (form rules, formatting); components are covered by the E2E suite.
      'renderer/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'out/**', 'e2e/**'],
    environment: 'node',
    // Native modules (SQLCipher, onnxruntime) are safest in forked processes.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
