/**
 * `npm run -s token -- --role supervisor --center cc-1 [--sub staff-1] [--clearances cc-2,cc-3] [--ttl 8h]`
 * prints a development JWT signed (HS256) with AUTH_JWT_SECRET, or with the
 * secret that `npm start` generated in DATA_DIR when none is set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';

const ROLES = ['case_manager', 'supervisor', 'auditor', 'admin'];
const DEV_SECRET_FILE = 'dev-jwt-secret';

function fail(message: string): never {
  process.stderr.write(
    `token: ${message}\nusage: npm run -s token -- --role <${ROLES.join('|')}> --center <careerCenterId> [--sub <staffId>] [--clearances cc-2,cc-3] [--ttl 8h]\n`,
  );
  process.exit(2);
}

function parse(argv: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) fail(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) fail(`--${name} needs a value`);
    options[name] = value;
  }
  return options;
}

function secret(): string {
  if (process.env.AUTH_JWT_SECRET) return process.env.AUTH_JWT_SECRET;
  const file = join(process.env.DATA_DIR ?? './.data', DEV_SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return fail(
    `AUTH_JWT_SECRET is not set and ${file} does not exist (run npm start once, or set AUTH_JWT_SECRET)`,
  );
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const role = options.role ?? fail('--role is required');
  if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  const center = options.center ?? fail('--center is required');
  const claims: Record<string, unknown> = { role, careerCenterId: center };
  if (options.clearances) claims.clearances = options.clearances.split(',').filter(Boolean);
  const ttl = options.ttl ?? '8h';
  // The API refuses tokens living longer than AUTH_TOKEN_MAX_LIFETIME_SECONDS (default 12 h).
  const ttlMatch = /^(\d+)\s*(s|m|h|d)$/.exec(ttl);
  const maxSeconds = Number(process.env.AUTH_TOKEN_MAX_LIFETIME_SECONDS || 43_200);
  if (ttlMatch) {
    const unit = { s: 1, m: 60, h: 3_600, d: 86_400 }[ttlMatch[2] as 's' | 'm' | 'h' | 'd'];
    if (Number(ttlMatch[1]) * unit > maxSeconds)
      fail(
        `--ttl ${ttl} is longer than the API accepts (${maxSeconds} s, AUTH_TOKEN_MAX_LIFETIME_SECONDS)`,
      );
  }
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub ?? `${role}-${center}`)
    .setIssuedAt()
    .setExpirationTime(ttl);
  if (process.env.AUTH_ISSUER) jwt = jwt.setIssuer(process.env.AUTH_ISSUER);
  if (process.env.AUTH_AUDIENCE) jwt = jwt.setAudience(process.env.AUTH_AUDIENCE);
  process.stdout.write(`${await jwt.sign(new TextEncoder().encode(secret()))}\n`);
}

void main();
