import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A new temp dir holding a new, empty PGlite cluster, for a test's store and
 * read models (the product then opens it as it opens any existing DATA_DIR).
 *
 * Initialising a cluster (PGlite's initdb) costs seconds (3.7 s on a quiet
 * 2-core machine, far more while the suite runs) against 0.2 s for copying
 * one (0.5 s to open the copy). So one cluster is initialised per installed
 * PGlite, kept under the temp dir, and every test gets a copy of it: the same
 * files a fresh initdb writes, nothing a test left behind. The specs that
 * are about opening a data dir (the data-dir lock, `npm start`) keep
 * creating theirs from nothing.
 */
export async function pgliteDataDir(label = 'test'): Promise<string> {
  const template = await pgliteTemplate();
  const dir = mkdtempSync(join(tmpdir(), `caseledger-${label}-`));
  cpSync(template, dir, { recursive: true });
  return dir;
}

async function pgliteTemplate(): Promise<string> {
  // One template per installed PGlite: its entry point's path and mtime name it.
  const entry = require.resolve('@electric-sql/pglite');
  const id = createHash('sha256')
    .update(`${entry}:${statSync(entry).mtimeMs}`)
    .digest('hex')
    .slice(0, 12);
  const template = join(tmpdir(), `caseledger-pglite-template-${id}`);
  if (existsSync(template)) return template;
  // Built aside and renamed into place, so a reader never sees half a cluster;
  // when two test files build at once, the first rename wins and the other's
  // copy is dropped.
  const building = mkdtempSync(`${template}.building-`);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create({ dataDir: building });
    await db.query('SELECT 1');
    await db.close();
    renameSync(building, template);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(template)) throw error;
  }
  return template;
}
