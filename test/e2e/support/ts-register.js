/**
 * Preloaded (`node -r`) by the e2e tests that start the API and worker as
 * child processes: TypeScript is transpiled on load (transpile only, as
 * ts-jest does with isolatedModules; `tsc --noEmit` type-checks in npm test)
 * and the @caseledger/* aliases resolve to libs/<name>/src. No build step, so
 * no shared dist/ that parallel test files or `npm start` could race on.
 *
 * Transpiling is a pure function of the source, the file name, tsconfig.json
 * and the TypeScript version, so its output is kept in a cache under the temp
 * dir keyed by all four: a child process after the first loads the app's
 * several hundred files without transpiling (or loading TypeScript) again.
 * Entries are written aside and renamed into place, so parallel children
 * never read half a file.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');

const root = path.resolve(__dirname, '..', '..', '..');
const tsconfigPath = path.join(root, 'tsconfig.json');
const tsVersion = JSON.parse(
  fs.readFileSync(require.resolve('typescript/package.json', { paths: [root] }), 'utf8'),
).version;
const configKey = crypto
  .createHash('sha256')
  .update(`${tsVersion}\0${fs.readFileSync(tsconfigPath, 'utf8')}`)
  .digest('hex');
const cacheDir = path.join(os.tmpdir(), 'caseledger-ts-register');
fs.mkdirSync(cacheDir, { recursive: true });

let transpiler;
/** TypeScript and the compiler options, loaded on the first cache miss only. */
function transpile(source, filename) {
  if (!transpiler) {
    const ts = require('typescript');
    const config = ts.readConfigFile(tsconfigPath, ts.sys.readFile).config;
    const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
    const compilerOptions = {
      ...options,
      module: ts.ModuleKind.CommonJS,
      sourceMap: false,
      inlineSourceMap: true,
      incremental: false,
      declaration: false,
    };
    transpiler = (text, fileName) =>
      ts.transpileModule(text, { compilerOptions, fileName }).outputText;
  }
  return transpiler(source, filename);
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto
    .createHash('sha256')
    .update(`${configKey}\0${filename}\0${source}`)
    .digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(source, filename);
    const aside = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(aside, output);
    fs.renameSync(aside, cached);
  }
  module._compile(output, filename);
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const match = /^@caseledger\/([^/]+)(\/.*)?$/.exec(request);
  const target = match ? path.join(root, 'libs', match[1], 'src', match[2] ?? '') : request;
  return resolve.call(this, target, ...rest);
};
