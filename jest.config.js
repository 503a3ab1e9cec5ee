/**
 * One jest run for every kind of test: pure specs (`*.spec.ts`), integration
 * specs against real PostgreSQL, PGlite and Redis (`*.int-spec.ts`) and HTTP
 * end-to-end specs (`*.e2e-spec.ts`). Type checking is `tsc --noEmit` in the
 * test command, so ts-jest only transpiles (isolatedModules).
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
