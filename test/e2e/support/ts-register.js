/**
 * Preloaded (`node -r`) by the e2e tests that start the API and worker as
 * child processes: TypeScript is transpiled on load (transpile only, as
 * ts-jest does with isolatedModules; `tsc --noEmit` type-checks in npm test)
 * and the @caseledger/* aliases resolve to libs/<name>/src. No build step, so
 * no shared dist/ that parallel test files or `npm start` could race on.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const root = path.resolve(__dirname, '..', '..', '..');
const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config;
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
const compilerOptions = {
  ...options,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
  incremental: false,
  declaration: false,
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const match = /^@caseledger\/([^/]+)(\/.*)?$/.exec(request);
  const target = match ? path.join(root, 'libs', match[1], 'src', match[2] ?? '') : request;
  return resolve.call(this, target, ...rest);
};
