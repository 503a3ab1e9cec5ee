import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { freePort, startNodeProcess, waitUntilHealthy, type ChildApp } from '@caseledger/testing';

/**
 * The API as a child process from the built output (`nest build api`), API
 * side only (CASELEDGER_WORKER=off), for bench:api and bench:scale: what a
 * command costs over HTTP against a store of a given size.
 */
const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'apps', 'api', 'src', 'main.js');

/** CPU seconds (user + system) of one process, from /proc (Linux); 0 elsewhere. */
/** A run whose answers are not all the one expected measured something else: stop. */
export function requireOnly(result: autocannon.Result, status: string, what: string): void {
  const codes = (result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats;
  const other = Object.entries(codes ?? {}).filter(([code]) => code !== status);
  if (other.length > 0 || result.errors > 0)
    throw new Error(
      `${what}: expected only ${status} answers, got ${JSON.stringify(codes)} and ${result.errors} errors`,
    );
}

export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The qualifying in-person contact every bench command records (a JSON body). */
export const contactBody = (today: string): string =>
  JSON.stringify({
    method: 'IN_PERSON',
    party: 'CUSTOMER',
    outcome: 'REACHED',
    occurredOn: today,
    progress: 'Attended job club twice and sent two applications.',
    justification: 'Needs interview coaching before the fair.',
  });

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

export interface CommandFigures {
  commandsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  apiCpuMsPerCommand: number;
  non2xx: number;
}

export interface QueryFigures {
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ApiChildOptions {
  /** Default: a free port. */
  port?: number;
  /** Node flags before the main script (`--cpu-prof` …). */
  nodeArgs?: readonly string[];
  /** Default: LOG_LEVEL, else warn. */
  logLevel?: string;
  /** Health checks 100 ms apart before giving up (N cluster processes boot at once on a loaded host). */
  healthAttempts?: number;
}

export class ApiChild {
  private constructor(
    private readonly app: ChildApp,
    private readonly secret: string,
  ) {}

  /** The API's process id (with API_WORKERS, the cluster primary's). */
  get pid(): number {
    return this.app.process.pid!;
  }

  get url(): string {
    return this.app.url;
  }

  static async start(databaseUrl: string, options: ApiChildOptions = {}): Promise<ApiChild> {
    const port = options.port ?? (await freePort());
    const secret = `bench-secret-${randomUUID()}`;
    const app = startNodeProcess('api', {
      args: [...(options.nodeArgs ?? []), MAIN],
      port,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        AUTH_JWT_SECRET: secret,
        CASELEDGER_WORKER: 'off',
        // The per-address limiter would answer the load generator with cheap 429s.
        RATE_LIMIT_REQUESTS: '0',
        LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? 'warn',
      },
      output: 'stderr',
    });
    try {
      await waitUntilHealthy(app, options.healthAttempts ?? 600);
    } catch (error) {
      app.signal('SIGKILL');
      throw error;
    }
    return new ApiChild(app, secret);
  }

  token(role: string, staffId: string): Promise<string> {
    return new SignJWT({ role, careerCenterId: 'cc-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(staffId)
      .setExpirationTime('2h')
      .sign(new TextEncoder().encode(this.secret));
  }

  /** Opens `count` fresh cases over HTTP (not measured) and returns their ids. */
  async openCases(
    count: number,
    today: string,
    customerPrefix = 'bench',
  ): Promise<{ ids: string[]; token: string }> {
    const token = await this.token('case_manager', 'bench-cm');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const base = `${this.url}/api/v1/cases`;
    const ids: string[] = [];
    const one = async (i: number): Promise<void> => {
      const caseId = randomUUID();
      const open = await fetch(base, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          caseId,
          customer: { id: `${customerPrefix}-${i}`, firstName: 'Bench', lastName: 'Customer' },
          program: 'WIOA_YOUTH',
          careerCenterId: 'cc-1',
          localAreaId: 'MO-DEFAULT',
          caseManagerId: 'bench-cm',
          openedOn: today,
        }),
      });
      const enroll = await fetch(`${base}/${caseId}/enrollments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          activityType: 'JOB_SEARCH',
          activityName: 'Job club',
          startDate: today,
        }),
      });
      if (open.status !== 201 || enroll.status !== 201)
        throw new Error(`opening a case failed: ${open.status} ${enroll.status}`);
      ids.push(caseId);
    };
    for (let i = 0; i < count; i += 16) {
      await Promise.all(Array.from({ length: Math.min(16, count - i) }, (_, k) => one(i + k)));
    }
    return { ids, token };
  }

  /** RecordContact under `connections` connections for `seconds`, spread over `caseIds`: autocannon's result. */
  contactLoad(
    caseIds: readonly string[],
    token: string,
    today: string,
    connections: number,
    seconds: number,
  ): Promise<autocannon.Result> {
    const body = contactBody(today);
    let next = 0;
    return autocannon({
      url: this.url,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/cases/${caseIds[next++ % caseIds.length]}/contacts`,
            body,
          }),
        },
      ],
    });
  }

  /** The contact load's figures, with the API process's CPU per acknowledged command. */
  async recordContacts(
    caseIds: readonly string[],
    token: string,
    today: string,
    connections: number,
    seconds: number,
  ): Promise<CommandFigures> {
    const cpuBefore = processCpuSeconds(this.pid);
    const result = await this.contactLoad(caseIds, token, today, connections, seconds);
    const cpu = processCpuSeconds(this.pid) - cpuBefore;
    return {
      commandsPerSecond: Math.round(result['2xx'] / result.duration),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      apiCpuMsPerCommand: Number(((cpu * 1000) / Math.max(1, result['2xx'])).toFixed(3)),
      non2xx: result.non2xx,
    };
  }

  /** A case manager's caseload page (GET /api/v1/caseloads/:id), one request at a time. */
  async caseloadQueries(managers: readonly string[], requests: number): Promise<QueryFigures> {
    const token = await this.token('admin', 'bench-admin');
    const latencies: number[] = [];
    for (let i = 0; i < requests; i++) {
      const manager = managers[(i * 7919) % managers.length];
      const started = process.hrtime.bigint();
      const res = await fetch(`${this.url}/api/v1/caseloads/${manager}?pageSize=50`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`caseload query answered ${res.status}`);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    latencies.sort((a, b) => a - b);
    return {
      requests,
      p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
      p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
    };
  }

  /** SIGTERM, and wait until it has exited (a CPU profile is written on the way out). */
  async stop(): Promise<void> {
    await this.app.stop();
  }
}
