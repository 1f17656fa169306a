import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/** Options every project shares; each project below inherits them (`extends: true`) and adds its files. */
export default defineConfig({
  test: {
    // Native modules (SQLCipher, onnxruntime) are safest in forked processes.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: [
            'electron/**/*.test.ts',
            'audit-chain/**/*.test.ts',
            'shared/**/*.test.ts',
            'models/**/*.test.ts',
            'server/**/*.test.ts',
            'scripts/**/*.test.ts',
            // Renderer logic without a DOM (form rules, formatting).
            'renderer/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', 'out/**', 'e2e/**'],
          environment: 'node',
        },
      },
      {
        // Renderer components and hooks in a DOM (jsdom); whole screens against the real core run in the E2E suite.
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.tsx'],
          exclude: ['**/node_modules/**', 'out/**'],
          environment: 'jsdom',
          setupFiles: ['renderer/src/testing/setup.ts'],
        },
      },
    ],
  },
});
