import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * `.env` loading with Node's own parser (util.parseEnv). Precedence, highest
 * first: the process environment, then `.env` in the working directory, then
 * the configuration schema's defaults. A variable the environment sets, even
 * to an empty string, is never overwritten by the file.
 */
export function loadEnvFile(
  env: NodeJS.ProcessEnv = process.env,
  path: string = resolve(process.cwd(), '.env'),
): string[] {
  if (!existsSync(path)) return [];
  const values = parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  const applied: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    applied.push(name);
  }
  return applied;
}
