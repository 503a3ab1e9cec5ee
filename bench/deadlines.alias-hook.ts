/**
 * Preloaded by `npm run bench:deadlines` (node -r): resolves the @caseledger/*
 * path aliases of tsconfig.json to the compiled files in dist/bench-deadlines,
 * since plain node knows nothing of TypeScript paths.
 */
import Module from 'node:module';
import { join } from 'node:path';

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;
// This file compiles to dist/bench-deadlines/bench/deadlines.alias-hook.js.
const root = join(__dirname, '..');

loader._resolveFilename = function resolve(request: string, ...rest: unknown[]): string {
  const match = /^@caseledger\/([^/]+)(\/.*)?$/.exec(request);
  const target = match ? join(root, 'libs', match[1], 'src', match[2] ?? '') : request;
  return original.call(this, target, ...rest);
};
