/**
 * Preloaded (node -r) by the tools built with tsconfig.tools.json — the
 * benches (`npm run bench:*`) and the CLI (`npm run cli`): resolves the
 * @caseledger/* path aliases of tsconfig.json to the compiled libs in
 * dist/tools, since plain node knows nothing of TypeScript paths.
 */
import Module from 'node:module';
import { join } from 'node:path';

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;
// This file compiles to dist/tools/scripts/alias-hook.js; the libs to dist/tools/libs.
const root = join(__dirname, '..');

loader._resolveFilename = function resolve(request: string, ...rest: unknown[]): string {
  const match = /^@caseledger\/([^/]+)(\/.*)?$/.exec(request);
  const target = match ? join(root, 'libs', match[1], 'src', match[2] ?? '') : request;
  return original.call(this, target, ...rest);
};
