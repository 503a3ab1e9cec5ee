import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SignJWT } from 'jose';

/**
 * The API as a child process from the built output (`nest build api`), API
 * side only (CASELEDGER_WORKER=off), as bench:api runs it: what a command
 * costs over HTTP against a store of a given size.
 */
const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'apps', 'api', 'src', 'main.js');

/** CPU seconds (user + system) of one process, from /proc (Linux); 0 elsewhere. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

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

export class ApiChild {
  private constructor(
    private readonly child: ChildProcess,
    private readonly port: number,
    private readonly secret: string,
  ) {}

  static async start(databaseUrl: string): Promise<ApiChild> {
    const port = await freePort();
    const secret = `scale-secret-${randomUUID()}`;
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        AUTH_JWT_SECRET: secret,
        CASELEDGER_WORKER: 'off',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const api = new ApiChild(child, port, secret);
    await api.waitForHealth();
    return api;
  }

  private async waitForHealth(): Promise<void> {
    for (let i = 0; i < 600; i++) {
      if (this.child.exitCode !== null)
        throw new Error(`the API exited with ${this.child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the API did not become healthy');
  }

  private token(role: string, staffId: string): Promise<string> {
    return new SignJWT({ role, careerCenterId: 'cc-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(staffId)
      .setExpirationTime('2h')
      .sign(new TextEncoder().encode(this.secret));
  }

  /** Opens `count` fresh cases over HTTP (not measured) and returns their ids. */
  async openCases(count: number, today: string): Promise<{ ids: string[]; token: string }> {
    const token = await this.token('case_manager', 'bench-cm');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const base = `http://127.0.0.1:${this.port}/api/v1/cases`;
    const ids: string[] = [];
    const one = async (i: number): Promise<void> => {
      const caseId = randomUUID();
      const open = await fetch(base, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          caseId,
          customer: { id: `scale-${i}`, firstName: 'Bench', lastName: 'Customer' },
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

  /** RecordContact under `connections` connections for `seconds`, spread over `caseIds`. */
  async recordContacts(
    caseIds: readonly string[],
    token: string,
    today: string,
    connections: number,
    seconds: number,
  ): Promise<CommandFigures> {
    const body = JSON.stringify({
      method: 'IN_PERSON',
      party: 'CUSTOMER',
      outcome: 'REACHED',
      occurredOn: today,
      progress: 'Attended job club twice and sent two applications.',
      justification: 'Needs interview coaching before the fair.',
    });
    let next = 0;
    const cpuBefore = processCpuSeconds(this.child.pid!);
    const result = await autocannon({
      url: `http://127.0.0.1:${this.port}`,
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
    const cpu = processCpuSeconds(this.child.pid!) - cpuBefore;
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
      const res = await fetch(
        `http://127.0.0.1:${this.port}/api/v1/caseloads/${manager}?pageSize=50`,
        { headers: { authorization: `Bearer ${token}` } },
      );
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

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
