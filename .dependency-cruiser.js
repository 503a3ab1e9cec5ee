/**
 * Architecture rules checked inside `npm test` (`npm run check:deps`).
 * DESIGN.md: libs/domain is pure — no framework, no I/O, no clock, no store client.
 * STYLE.md: only esdb.event-store.ts imports the EventStoreDB client.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
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
