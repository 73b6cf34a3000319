import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

/** Modules the pure domain core must never import: it has no I/O, no clock of its own, no transport. */
const IO_MODULES = [
  'node:*',
  'fs',
  'path',
  'http',
  'net',
  'crypto',
  'express',
  'socket.io',
  'socket.io-client',
  'redis',
  '@socket.io/*',
  'yjs',
  'y-*',
  'better-sqlite3',
  'ws',
  'pino',
  'exceljs',
  'docx',
  'qrcode',
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'docs/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      // Local, non-reactive Maps/Sets/URLs (scratch values inside functions) are not state; $state.raw holds state.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // The browser shares only shared/ with the server: what both sides need lives there.
    files: ['client/**/*.ts', 'client/**/*.svelte'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**'], message: 'client/ may not import server/: move it to shared/.' },
          ],
        },
      ],
    },
  },
  {
    // Services, stores and the socket gateway sit below the HTTP adapter: they never import it.
    files: ['server/**/*.ts'],
    ignores: ['server/http/**', 'server/app.ts', 'server/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/http/**'], message: 'only server/http, app.ts and main.ts use the HTTP adapter.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: IO_MODULES.map((group) => ({
            group: [group],
            message: 'shared/ is the pure core: no I/O imports.',
          })),
        },
      ],
    },
  },
);
