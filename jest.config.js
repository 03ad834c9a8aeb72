// Jest runs the TypeScript sources directly (the LWC transformer strips types);
// `ts` comes first in moduleFileExtensions so a compiled .js beside a .ts is never picked.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

export default {
  ...jestConfig,
  moduleFileExtensions: ['ts', 'js', 'html', 'json'],
  roots: ['<rootDir>/force-app', '<rootDir>/scripts'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  moduleNameMapper: {
    '^@salesforce/apex$': '<rootDir>/force-app/test/jest-mocks/apex',
    // jsdom would pick the parser's browser ESM build, which jest cannot load; the CommonJS one works.
    '^@apexdevtools/apex-parser$':
      '<rootDir>/node_modules/@apexdevtools/apex-parser/dist/cjs/index.cjs',
  },
  setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv ?? []), '<rootDir>/jest.setup.js'],
  collectCoverageFrom: [
    'force-app/**/lwc/**/*.ts',
    'scripts/cli/**/*.ts',
    '!**/__tests__/**',
    '!**/*.d.ts',
  ],
  // Babel's istanbul instrumentation sees none of the files the LWC transformer compiles
  // (every total read 0/0, so no threshold could fail); V8's own coverage does.
  coverageProvider: 'v8',
  coverageThreshold: {
    global: { statements: 85, branches: 75, functions: 85, lines: 85 },
  },
  coverageReporters: ['text-summary', 'lcov'],
  testTimeout: 30000,
};
