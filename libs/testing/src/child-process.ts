import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * The project's own processes (the API, the worker) started as child processes
 * on a loopback port: by the process-level e2e specs (from TypeScript) and by
 * the benches (from the built output). One starter, one health wait.
 */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildApp {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything it wrote to stdout (pino's JSON lines) and stderr, when its output is collected. */
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
  /** The parsed JSON log lines so far. */
  logLines(): Record<string, unknown>[];
  /** Sends a signal unless it already exited. */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM (unless it already exited) and wait until it has. */
  stop(): Promise<Exit>;
}

export interface ChildOptions {
  /** The node arguments: flags, then the main script. */
  args: readonly string[];
  /** The port the process listens on (passed in `env`); `url` points at it. */
  port: number;
  /** Its whole environment. */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * `collect` (the default): stdout and stderr kept as lines, for specs that
   * read the logs. `stderr`: stderr shown as it comes, stdout dropped (a long
   * benchmark run would otherwise hold every log line).
   */
  output?: 'collect' | 'stderr';
}

/** A free loopback port (released just before the child binds it). */
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

export function startNodeProcess(name: string, options: ChildOptions): ChildApp {
  const collect = (options.output ?? 'collect') === 'collect';
  const child = spawn(process.execPath, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: collect ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'ignore', 'inherit'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const lines = (into: string[]) => {
    let rest = '';
    return (chunk: Buffer): void => {
      const split = (rest + chunk.toString('utf8')).split('\n');
      rest = split.pop() ?? '';
      into.push(...split.filter((line) => line !== ''));
    };
  };
  child.stdout?.on('data', lines(stdout));
  child.stderr?.on('data', lines(stderr));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  const signal = (sig: NodeJS.Signals): void => {
    if (!done && child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  return {
    name,
    port: options.port,
    url: `http://127.0.0.1:${options.port}`,
    process: child,
    stdout,
    stderr,
    exited,
    logLines: () =>
      stdout.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    signal,
    stop() {
      signal('SIGTERM');
      return exited;
    },
  };
}

/** Resolves once GET /health answers 200 (every 100 ms, `attempts` times); fails early if the process exits. */
export async function waitUntilHealthy(app: ChildApp, attempts = 600): Promise<void> {
  let exit: Exit | undefined;
  void app.exited.then((e) => (exit = e));
  for (let i = 0; i < attempts; i++) {
    if (exit)
      throw new Error(
        `${app.name} exited (${exit.code ?? exit.signal}) before it was healthy:\n${app.stderr.join('\n')}\n${app.stdout.slice(-20).join('\n')}`,
      );
    try {
      const res = await fetch(`${app.url}/health`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${app.name} never became healthy:\n${app.stdout.slice(-20).join('\n')}`);
}

/** For afterAll: SIGKILL whatever still runs and wait for it to go. */
export async function killAll(apps: readonly (ChildApp | undefined)[]): Promise<void> {
  await Promise.all(
    apps.map(async (app) => {
      if (!app) return;
      app.signal('SIGKILL');
      await app.exited;
    }),
  );
}
