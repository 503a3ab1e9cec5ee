/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time, by package: the
 * self time of every sampled function, attributed to the npm package its file
 * lies in (the last node_modules/ segment), to Node's own modules (node:…,
 * grouped by area), to the project's code, or to V8 (GC, program). Used by
 * `npm run bench:api` to publish the breakdown next to its figures.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  owner: string;
  ms: number;
  /** Share of the busy (non-idle) time, in per cent. */
  percent: number;
}

function nodeArea(url: string): string {
  const name = url.replace(/^node:/, '').replace(/^internal\//, '');
  if (/^(net|stream_base_commons|streams|stream|tls|dns|tcp_wrap)/.test(name))
    return 'node: net/streams';
  if (/^(http|_http)/.test(name)) return 'node: http';
  if (/^(timers|process\/task_queues|async_hooks|process)/.test(name)) return 'node: timers/async';
  if (/^(crypto)/.test(name)) return 'node: crypto';
  return `node: ${name.split(/[/.]/)[0]}`;
}

export function ownerOf(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'V8: garbage collector';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return 'V8: program (native, compiler)';
    return 'V8/native (builtins)';
  }
  if (url.startsWith('node:')) return nodeArea(url);
  const path = url.replace(/^file:\/\//, '');
  const at = path.lastIndexOf('/node_modules/');
  if (at >= 0) {
    const rest = path.slice(at + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return 'caseledger (apps, libs)';
}

const V8_OWNERS = new Set(['V8: garbage collector', '(idle)', 'V8: program (native, compiler)']);

/**
 * Self time by owner, busiest first; idle time left out of the shares. A
 * builtin or native frame (no file) counts for the package that called it.
 * `window` (monotonic clock, µs, as process.hrtime: the profile's own clock)
 * keeps only the samples taken within it, e.g. the measured run.
 */
export function profileByPackage(
  file: string,
  window?: { fromUs: number; toUs: number },
): { busyMs: number; shares: ProfileShare[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const owners = new Map<number, string>();
  const ownerOfNode = (id: number): string => {
    const known = owners.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    let owner = ownerOf(node.callFrame);
    if (owner === 'V8/native (builtins)' && parent.has(id)) {
      const up = ownerOfNode(parent.get(id)!);
      if (!V8_OWNERS.has(up) && up !== '(root)') owner = up;
    }
    owners.set(id, owner);
    return owner;
  };
  const totals = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const owner = ownerOfNode(id);
    totals.set(owner, (totals.get(owner) ?? 0) + delta / 1000);
  });
  totals.delete('(idle)');
  const busyMs = [...totals.values()].reduce((a, b) => a + b, 0);
  const shares = [...totals.entries()]
    .map(([owner, ms]) => ({
      owner,
      ms: Math.round(ms),
      percent: Number(((ms / Math.max(1, busyMs)) * 100).toFixed(1)),
    }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs: Math.round(busyMs), shares };
}

if (require.main === module) {
  const { busyMs, shares } = profileByPackage(process.argv[2]);
  console.log(`busy ${busyMs} ms`);
  for (const s of shares.slice(0, 25))
    console.log(
      `${s.percent.toFixed(1).padStart(5)} %  ${String(s.ms).padStart(6)} ms  ${s.owner}`,
    );
}
