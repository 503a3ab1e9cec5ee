import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * One process per PGlite data dir (DESIGN.md "Known ground": PGlite has no lock
 * of its own, and two processes on one data dir corrupt it). The lock is a file
 * holding the owner's pid, created exclusively; a lock left by a dead process
 * is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `PGlite data dir ${dataDir} is already in use by process ${holderPid} ` +
        `(lock file ${join(dataDir, LOCK_FILE)}); stop that process or use another DATA_DIR`,
    );
    this.name = 'DataDirLockedError';
  }
}

export const LOCK_FILE = 'caseledger.lock';

export interface DataDirLock {
  /** The data dir, resolved. */
  readonly dataDir: string;
  readonly path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        if (readHolder(path) === process.pid) {
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        }
      };
      process.on('exit', release);
      return { dataDir: dir, path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder !== undefined && isAlive(holder)) throw new DataDirLockedError(dir, holder);
      // A stale lock (dead pid, or a half-written file): take it over.
      try {
        unlinkSync(path);
      } catch {
        // Someone else took it over first; the next attempt sees their lock.
      }
    }
  }
  throw new DataDirLockedError(dir, readHolder(path) ?? 0);
}
