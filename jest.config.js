/**
 * One jest run for every kind of test: pure specs (`*.spec.ts`), integration
 * specs against real PostgreSQL, PGlite and Redis (`*.int-spec.ts`) and HTTP
 * end-to-end specs (`*.e2e-spec.ts`). Type checking is `tsc --noEmit` in the
 * test command, so ts-jest only transpiles (isolatedModules).
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

/**
 * ESM-only dependencies (jose 6; swagger-parser's ref parser; Bull Board's Nest
 * module's shared helpers). Node 20.19+ and 24 require() them natively, but
 * under jest every require() goes through jest's own module registry, and what
 * that registry does with an ES module depends on the Node it runs on:
 * - Node 20: it can evaluate a require()d file only as CommonJS, so ts-jest
 *   transpiles these packages to CommonJS;
 * - Node 24.9+ (with --experimental-vm-modules, as `npm test` runs): it
 *   require()s them as ES modules and asks the transform for ESM
 *   (`supportsStaticESM`); `useESM` makes ts-jest answer with ESM there instead
 *   of CommonJS, which the ES module loader cannot run ("exports is not defined").
 * ts-jest keys its cache on `supportsStaticESM`, so both outputs can share it.
 */
const ESM_ONLY = ['jose', '@apidevtools/json-schema-ref-parser', '@nestjs/bull-shared'];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    // ESM-only packages: CommonJS for jest's CommonJS loader, ESM for its ES module loader (above).
    [`^.+/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
      'ts-jest',
      {
        useESM: true,
        tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
