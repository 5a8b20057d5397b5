#!/usr/bin/env node
// `npm start`'s prestart: builds only what is out of date. The server (tsc) is rebuilt
// when a file under src/ or a tsconfig is newer than dist/main.js; the chat page (vite)
// when a file under web/ is newer than web/dist/index.html. `--check` only prints what
// would be built. A root other than the package's may be given (tests).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const check = args.includes('--check');
const root = args.find((a) => !a.startsWith('--')) ?? fileURLToPath(new URL('..', import.meta.url));

/** Not part of a build: dependencies, build output, tests and their fixtures. */
const SKIP = new Set(['node_modules', 'dist', 'e2e', 'test-support', '__fixtures__']);

/** Newest mtime (ms) of the files under `path`, skipping build output and dependencies; 0 when none. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  // A directory's own mtime changes when a file in it is deleted or renamed.
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (SKIP.has(name) || name.endsWith('.test.ts')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

/** mtime of `path`, or -1 when it does not exist (always stale). */
function built(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

const packageFiles = Math.max(newest(join(root, 'package.json')), newest(join(root, 'package-lock.json')));
const steps = [
  {
    name: 'server',
    script: 'build:server',
    stale: built(join(root, 'dist/main.js')) < Math.max(newest(join(root, 'src')), newest(join(root, 'tsconfig.json')), newest(join(root, 'tsconfig.build.json')), packageFiles),
  },
  {
    name: 'chat page',
    script: 'build:web',
    stale: built(join(root, 'web/dist/index.html')) < Math.max(newest(join(root, 'web')), packageFiles),
  },
];

for (const step of steps) {
  if (!step.stale) {
    process.stdout.write(`build: ${step.name} is up to date\n`);
    continue;
  }
  process.stdout.write(`build: ${step.name} is out of date${check ? '' : ', building'}\n`);
  if (check) continue;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', step.script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
