/**
 * A fresh directory for a test server's `dataDir`: without one, the embedded session store
 * writes `./data` in the working tree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDataDir {
  dir: string;
  /** Removes the directory and everything in it (after the servers using it closed). */
  remove(): void;
}

export function tempDataDir(prefix = 'streamgate-test-'): TempDataDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
