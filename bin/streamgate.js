#!/usr/bin/env node
// The `streamgate` command (`npx streamgate`, or on PATH once installed): runs the built
// server in dist/. A checkout that was never built says so in one line.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(`streamgate: not built yet (${fileURLToPath(entry)} is missing): run \`npm run build\` in ${fileURLToPath(new URL('..', import.meta.url))}\n`);
  process.exit(1);
}
await import(entry.href);
