/**
 * One jest run for every kind of test: pure specs (`*.spec.ts`), integration
 * specs against real PostgreSQL, PGlite and Redis (`*.int-spec.ts`) and HTTP
 * end-to-end specs (`*.e2e-spec.ts`). Type checking is `tsc --noEmit` in the
 * test command, so ts-jest only transpiles (isolatedModules).
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

/** ESM-only dependencies (jose 6; swagger-parser's ref parser; Bull Board's Nest module's shared helpers). */
const ESM_ONLY = ['jose', '@apidevtools/json-schema-ref-parser', '@nestjs/bull-shared'];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    // ESM-only packages: Node 20 requires them natively but jest's module
    // registry cannot, so jest alone transpiles them to CommonJS.
    [`^.+/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
