// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import drizzle from 'eslint-plugin-drizzle';
import globals from 'globals';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'url',
  'util',
  'stream',
  'worker_threads',
];

/** Import zones: the process boundaries of ARCHITECTURE.md, enforced. */
const zone = (files, patterns, paths = [], ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});
const electronModule = { name: 'electron', message: 'Only electron/main and electron/preload may import Electron.' };

export default tseslint.config(
  {
    ignores: [
      'out/**',
      '**/dist/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'resources/**',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { drizzle },
    rules: {
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db'] }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['renderer/**/*.{ts,tsx}', 'electron/harness/bridge.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs['recommended-latest'].rules,
  },
  zone(
    ['renderer/**'],
    [
      {
        group: ['**/electron/**', '**/server/**', '**/models/**'],
        message: 'The renderer reaches the core only through window.nexis.',
      },
      { group: NODE_BUILTINS, message: 'The renderer has no Node access.' },
    ],
    [electronModule],
  ),
  zone(
    ['shared/**'],
    [
      {
        group: ['**/electron/**', '**/renderer/**', '**/server/**', '**/models/**'],
        message: 'shared/ depends on nothing of the app.',
      },
      { group: NODE_BUILTINS, message: 'shared/ is environment-neutral: no Node modules.' },
    ],
    [electronModule],
  ),
  zone(
    ['audit-chain/**'],
    [
      {
        group: ['**/electron/**', '**/renderer/**', '**/server/**', '**/models/**', '**/shared/**'],
        message: 'audit-chain/ is shared by the workstation and the central API: it depends on nothing of the app.',
      },
      {
        // Its own files, node:crypto, canonicalize and zod (tests: vitest, fast-check); nothing else to audit.
        regex: '^(?!\\./[\\w.-]+$|node:crypto$|canonicalize$|zod$|vitest$|fast-check$)',
        message: 'audit-chain/ imports only its own files, node:crypto, canonicalize and zod.',
      },
    ],
    [electronModule],
  ),
  zone(
    ['electron/core/**'],
    [
      {
        group: ['**/electron/main/**', '**/main/**', '**/preload/**', '**/renderer/**'],
        message: 'The core never depends on the shell or the UI.',
      },
      { group: ['**/server/**'], message: 'The desktop app never ships the central API or its database engines.' },
    ],
    [electronModule],
  ),
  zone(
    ['electron/preload/**'],
    [
      {
        group: ['**/core/**', '**/main/**', '**/renderer/**'],
        message: 'The preload is a bridge only: contract types and ipcRenderer.',
      },
    ],
  ),
  zone(
    ['models/**', 'server/**'],
    [
      {
        group: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**'],
        message: 'No UI or shell code here.',
      },
    ],
    [electronModule],
  ),
  zone(
    ['models/**'],
    [
      {
        group: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**'],
        message: 'No UI or shell code here.',
      },
      { group: ['**/server/**'], message: 'Model tooling does not depend on the central API.' },
    ],
    [electronModule],
  ),
  zone(
    ['server/**'],
    [
      {
        group: ['**/electron/**', '**/models/**', '**/renderer/**'],
        message:
          'The central API is its own package (server/package.json): it shares only shared/ and audit-chain/ with the app.',
      },
    ],
    [electronModule],
    // Tests and their fixtures drive real workstations against the server.
    ['server/**/*.test.ts', 'server/testing/**'],
  ),
  {
    // Command-line entry points, the harness, benchmarks and scripts talk to a terminal.
    files: [
      'electron/core/cli/**',
      'electron/harness/serve.ts',
      'bench/**',
      'scripts/**',
      'models/cli/**',
      'models/bench/**',
      'server/cli/**',
      'e2e/**',
      'playwright.config.ts',
    ],
    rules: { 'no-console': 'off' },
  },
);
