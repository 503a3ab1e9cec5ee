import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The deployment files are checked, not run (no Docker engine, no
 * cluster on the build machines). The compose file goes through Debian's
 * docker-compose (`config`), which the test command installs when missing; the
 * Kubernetes manifests through the Kubernetes JSON schemas (kubernetes-models,
 * in scripts/validate-k8s.mjs — an ES module, so it runs as its own process).
 */
const ROOT = join(__dirname, '..', '..');
const K8S = join(ROOT, 'deploy', 'kubernetes');

type ComposeService = {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  image?: string;
  build?: unknown;
};

function composeConfig(file: string): { services: Record<string, ComposeService> } {
  const out = execFileSync('docker-compose', ['-f', file, 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AUTH_JWT_SECRET: 'a-local-secret-of-thirty-two-bytes-long' },
  });
  return parse(out) as { services: Record<string, ComposeService> };
}

function validateK8s(dir: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'validate-k8s.mjs'), dir], {
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('docker-compose.yml', () => {
  const config = composeConfig('docker-compose.yml');

  it('is valid for docker-compose and runs the event store, PostgreSQL, Redis, api and worker', () => {
    expect(Object.keys(config.services).sort()).toEqual([
      'api',
      'eventstore',
      'postgres',
      'redis',
      'worker',
    ]);
  });

  it('every service has a health check, and api and worker start after healthy backing services', () => {
    for (const [name, service] of Object.entries(config.services)) {
      expect(`${name}: ${service.healthcheck?.test.length ?? 0}`).not.toMatch(/: 0$/);
    }
    for (const name of ['api', 'worker']) {
      expect(config.services[name].depends_on).toEqual({
        eventstore: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(config.services[name].environment).toMatchObject({
        EVENTSTORE_CONNECTION_STRING: expect.stringMatching(/^kurrentdb:\/\/eventstore:2113/),
        DATABASE_URL: expect.stringMatching(/@postgres:5432\//),
        REDIS_URL: 'redis://redis:6379',
      });
    }
  });

  it("the images run the same entry points as npm start's scripts", () => {
    const startSh = readFileSync(join(ROOT, 'scripts', 'start.sh'), 'utf8');
    const apiMain = /main_js="([^"]+)"/.exec(startSh)?.[1];
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const workerMain = /node (dist\/\S+main\.js)/.exec(scripts['start:worker'])?.[1];
    expect(apiMain).toBeDefined();
    expect(workerMain).toBeDefined();
    expect(config.services.api.command).toEqual(['node', apiMain]);
    expect(config.services.worker.command).toEqual(['node', workerMain]);
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`CMD ["node", "${apiMain}"]`);
    expect(dockerfile).toMatch(/nest build api && npx nest build worker/);
    expect(dockerfile).toMatch(/^USER node$/m);
    for (const file of ['api-deployment.yaml', 'worker-deployment.yaml']) {
      const [deployment] = parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map(
        (d) => d.toJSON() as { spec: { template: { spec: { containers: ComposeService[] } } } },
      );
      const command = deployment.spec.template.spec.containers[0].command;
      expect(command).toEqual(['node', file.startsWith('api') ? apiMain : workerMain]);
    }
  });

  it('a broken compose file is refused (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    try {
      const broken = join(dir, 'docker-compose.yml');
      writeFileSync(
        broken,
        'services:\n  api:\n    image: x\n    ports: 3000\n    depends_on: 7\n',
      );
      expect(() => composeConfig(broken)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/kubernetes', () => {
  it('every manifest validates against the Kubernetes schemas', () => {
    const result = validateK8s(K8S);
    expect(result.output).toMatch(/\d+ manifests valid/);
    expect(result.status).toBe(0);
  });

  it('a manifest with a wrong field type is refused (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-'));
    try {
      cpSync(K8S, dir, { recursive: true });
      const file = join(dir, 'api-deployment.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/replicas: \d+/, 'replicas: two'));
      const result = validateK8s(dir);
      expect(result.status).toBe(1);
      expect(result.output).toMatch(/api-deployment\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('api and worker: liveness on /health/live, readiness on /health/ready, resource requests, non-root, configuration from the config map and secret', () => {
    for (const file of ['api-deployment.yaml', 'worker-deployment.yaml']) {
      const deployment = parse(readFileSync(join(K8S, file), 'utf8')) as {
        spec: { template: { spec: unknown } };
      };
      const pod = deployment.spec.template.spec as {
        securityContext: { runAsNonRoot: boolean };
        containers: Array<{
          readinessProbe: { httpGet: { path: string } };
          livenessProbe: { httpGet: { path: string } };
          resources: { requests: Record<string, string> };
          envFrom: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
        }>;
      };
      const [container] = pod.containers;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.resources.requests).toEqual({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.envFrom).toEqual([
        { configMapRef: { name: 'caseledger-config' } },
        { secretRef: { name: 'caseledger-secrets' } },
      ]);
    }
  });
});
