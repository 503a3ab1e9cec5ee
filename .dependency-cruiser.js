/**
 * Architecture rules checked inside `npm test` (`npm run check:deps`).
 * DESIGN.md: libs/domain is pure — no framework, no I/O, no clock, no store client.
 * STYLE.md: only esdb.event-store.ts imports the EventStoreDB client.
 * Dependencies point one way: apps → libs → (libs/domain), test/ and bench/ on
 * top; each lib is entered through its index.ts (and its testing/index.ts for
 * tests), never through its internals.
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** Test code: specs, contract suites, a lib's testing/ folder, test/ and bench/. */
const TEST_CODE = [
  '\\.(spec|int-spec|e2e-spec)\\.ts$',
  '\\.contract\\.ts$',
  '\\.testing\\.ts$',
  '^libs/[^/]+/src/testing/',
  '^libs/testing/',
  '^test/',
  '^bench/',
];

/** A lib's public surface: its index.ts, and for tests its testing/index.ts. */
const LIB_SURFACE = ['^libs/[^/]+/src/index\\.ts$', '^libs/[^/]+/src/testing/index\\.ts$'];

/**
 * TEMPORARY: the event-store files that still import ConcurrencyError from
 * libs/domain. Empty this list (and drop the rule that uses it) when the error
 * moves into the store port; then the store imports no internal lib at all.
 */
const CONCURRENCY_ERROR_FROM_DOMAIN = [
  '^libs/event-store/src/postgres\\.event-store\\.ts$',
  '^libs/event-store/src/esdb\\.event-store\\.ts$',
  '^libs/event-store/src/esdb\\.event-store\\.spec\\.ts$',
  '^libs/event-store/src/event-store\\.contract\\.ts$',
];

module.exports = {
  forbidden: [
    {
      name: 'no-app-to-app',
      comment:
        'An app is a composition root: it imports libs, never another app. Shared Nest modules and HTTP host pieces live in libs (libs/worker, libs/http).',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-lib-to-app',
      comment: 'Libs never import an app (apps compose libs, not the other way round).',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-lib-or-app-to-test',
      comment:
        'Nothing in libs/ or apps/ (their specs and testing/ folders included) reaches into the root test/ folder: shared test support lives in libs/testing (@caseledger/testing).',
      severity: 'error',
      from: { path: '^(libs|apps)/' },
      to: { path: '^test/' },
    },
    {
      name: 'test-support-only-in-tests',
      comment:
        "libs/testing and a lib's testing/ folder are for specs, test/ and bench/ only: production code never imports them.",
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: ['^libs/testing/', '^libs/[^/]+/src/testing/'] },
    },
    {
      name: 'event-store-imports-no-internal-lib',
      comment:
        'libs/event-store is the store port and its adapters: it imports no other lib of this repository (libs/testing in its specs aside). ConcurrencyError belongs to the port.',
      severity: 'error',
      from: { path: '^libs/event-store/', pathNot: CONCURRENCY_ERROR_FROM_DOMAIN },
      to: { path: '^libs/', pathNot: ['^libs/event-store/', '^libs/testing/'] },
    },
    {
      name: 'event-store-imports-no-internal-lib (until ConcurrencyError moves)',
      comment:
        "TEMPORARY: these files still take ConcurrencyError from libs/domain's index; they may import nothing else. Delete this rule and CONCURRENCY_ERROR_FROM_DOMAIN once the error lives in the store port.",
      severity: 'error',
      from: { path: CONCURRENCY_ERROR_FROM_DOMAIN },
      to: {
        path: '^libs/',
        pathNot: ['^libs/event-store/', '^libs/testing/', '^libs/domain/src/index\\.ts$'],
      },
    },
    {
      name: 'lib-index-only-between-libs',
      comment:
        'A lib imports another lib only through its index.ts (@caseledger/<lib>) or, from test code, its testing/index.ts (@caseledger/<lib>/testing).',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/', pathNot: ['^libs/$1/', ...LIB_SURFACE] },
    },
    {
      name: 'lib-index-only-from-outside',
      comment:
        'Apps, test/, bench/ and scripts/ import a lib only through its index.ts (@caseledger/<lib>) or, from test code, its testing/index.ts.',
      severity: 'error',
      from: { pathNot: '^libs/' },
      to: { path: '^libs/', pathNot: LIB_SURFACE },
    },
    {
      name: 'domain-is-pure',
      comment:
        'libs/domain may import only its own files: no @nestjs/*, pg, PGlite, bullmq, ioredis, event-store clients, node built-ins or any other package.',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: '\\.spec\\.ts$' },
      to: { pathNot: '^libs/domain/' },
    },
    {
      name: 'only-esdb-adapter-imports-kurrent-client',
      comment: 'Only libs/event-store/src/esdb.event-store.ts may import the EventStoreDB client.',
      severity: 'error',
      from: { pathNot: '^libs/event-store/src/esdb\\.event-store\\.ts$' },
      to: { path: '(^|/)node_modules/@(kurrent|eventstore)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    builtInModules: { add: [] },
  },
};
