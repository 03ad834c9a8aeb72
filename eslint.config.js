// ESLint flat config: Salesforce's LWC rules on the TypeScript sources, parsed by
// typescript-eslint so type-aware syntax does not trip the LWC rules.
import { createRequire } from 'node:module';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const require = createRequire(import.meta.url);
const lwcConfig = require('@salesforce/eslint-config-lwc');
const jestPlugin = require('eslint-plugin-jest');

const tsFiles = ['**/*.ts'];
const scoped = (configs, files) => configs.map((c) => ({ ...c, files }));

export default [
  {
    ignores: [
      'node_modules/**',
      'coverage/**',
      'reports/**',
      'artifacts/**',
      '.sf/**',
      '.sfdx/**',
      // Output of the TypeScript build (see .gitignore)
      'force-app/**/lwc/**/*.js',
      'scripts/cli/**/*.js',
      '!scripts/cli/bin/*.js',
      'scripts/tooling/apex/**/*.js',
      'scripts/tooling/bench/**/*.js',
      'scripts/tooling/org/**/*.js',
      'scripts/tooling/testkit/**/*.js',
      'types/**',
    ],
  },
  ...scoped(lwcConfig.configs.recommended, tsFiles),
  {
    files: tsFiles,
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { sourceType: 'module' },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      ...tseslint.configs.recommended.reduce((acc, c) => ({ ...acc, ...(c.rules ?? {}) }), {}),
      // Type-only names are not runtime values; the TS compiler checks them.
      'no-undef': 'off',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-redeclare': 'off',
      // Prettier owns layout and removes the parentheses this rule asks for.
      'no-confusing-arrow': 'off',
    },
  },
  {
    // The CLI, benchmark and build tooling run in Node, not in Lightning.
    files: ['scripts/**/*.ts', 'scripts/**/*.js', '*.config.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@lwc/lwc/no-async-await': 'off',
      '@lwc/lwc/no-async-operation': 'off',
      '@lwc/lwc/no-restricted-browser-globals-during-ssr': 'off',
    },
  },
  {
    files: ['scripts/**/*.js', '*.config.js'],
    languageOptions: { sourceType: 'module', ecmaVersion: 'latest' },
  },
  {
    files: ['**/__tests__/**/*.ts'],
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
    rules: {
      ...jestPlugin.configs['flat/recommended'].rules,
      'jest/no-conditional-expect': 'error',
      '@lwc/lwc/no-async-await': 'off',
      // Tests wait for the engine's microtasks and drive wire adapters by hand.
      '@lwc/lwc/no-async-operation': 'off',
      '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
    },
  },
];
