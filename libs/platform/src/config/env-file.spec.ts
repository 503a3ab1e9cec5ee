import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvFile } from './env-file';

describe('.env loading (the environment wins over the file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caseledger-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fills only the variables the environment does not set', () => {
    const file = join(dir, '.env');
    writeFileSync(
      file,
      'PORT=4000\nLOG_LEVEL=debug\n# a comment\nCORS_ORIGINS="https://a.example.org"\n',
    );
    const env: NodeJS.ProcessEnv = { PORT: '5000', LOG_LEVEL: '' };
    expect(loadEnvFile(env, file)).toEqual(['CORS_ORIGINS']);
    expect(env).toEqual({ PORT: '5000', LOG_LEVEL: '', CORS_ORIGINS: 'https://a.example.org' });
  });

  it('is a no-op without a file', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadEnvFile(env, join(dir, 'missing.env'))).toEqual([]);
    expect(env).toEqual({});
  });
});
