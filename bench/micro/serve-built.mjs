/**
 * One streamgate build in a child process for `request-path.ts`: `node serve-built.mjs <dist dir> <config.json>`.
 * Plain Node on the compiled server (no tsx: its keepNames costs CPU per request that
 * production never pays). Answers the parent over IPC:
 *
 * - `{cmd: 'cpu'}` → `{cpu: process.cpuUsage()}` (µs of user + system time so far);
 * - `{cmd: 'marks', on}` → switches the timeline marks on or off (off while CPU is measured:
 *   subscribing to undici's diagnostics channels makes undici do work it otherwise skips);
 * - `{cmd: 'take'}` → `{marks: [...]}`, the timeline of every request since the last take.
 *
 * A timeline is in Unix ms (sub-ms), so the parent can place it against its own send time
 * (sent in `x-bench-sent`). Requests are sequential: one record is open at a time.
 */
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [distDir, configFile] = process.argv.slice(2);
const { startServer } = await import(pathToFileURL(join(distDir, 'server.js')).href);
const now = () => performance.timeOrigin + performance.now();

let marking = false;
let current = null;
let records = [];
const mark = (name) => {
  if (current && current[name] === undefined) current[name] = now();
};
const channels = {
  'undici:request:create': () => mark('upstreamCreated'),
  'undici:client:sendHeaders': () => mark('upstreamSent'),
  'undici:request:headers': () => mark('upstreamHeaders'),
  'undici:request:bodyChunkReceived': () => mark('upstreamFirstByte'),
};
function setMarks(on) {
  if (on === marking) return;
  marking = on;
  for (const [name, fn] of Object.entries(channels)) (on ? diagnostics.subscribe : diagnostics.unsubscribe)(name, fn);
}

const config = JSON.parse(readFileSync(configFile, 'utf8'));
// `LOG_DESTINATION=sync` (an experiment, not what ships): the same logger writing to stdout
// with synchronous writes instead of pino's default asynchronous sonic-boom.
let logger;
if (process.env.LOG_DESTINATION === 'sync') {
  const { createLogger } = await import(pathToFileURL(join(distDir, 'logger.js')).href);
  const { configuredSecrets } = await import(pathToFileURL(join(distDir, 'config/secrets.js')).href);
  const { parseConfig } = await import(pathToFileURL(join(distDir, 'config/load-config.js')).href);
  const { pino } = await import('pino');
  const parsed = parseConfig(config);
  logger = createLogger(parsed.logLevel, { secrets: configuredSecrets(parsed), destination: pino.destination({ dest: 1, sync: true }) });
}
const running = await startServer({ config, port: 0, host: '127.0.0.1', ...(logger ? { logger } : {}) });
running.server.prependListener('request', (req, res) => {
  if (!marking) return;
  const sent = Number(req.headers['x-bench-sent']);
  current = { sent, received: now() };
  records.push(current);
  const record = current;
  // body-parser (or whatever parses the body) assigns req.body just before the route runs.
  let body;
  Object.defineProperty(req, 'body', {
    configurable: true,
    enumerable: true,
    get: () => body,
    set: (v) => {
      if (record.bodyParsed === undefined) record.bodyParsed = now();
      body = v;
    },
  });
  const write = res.write;
  res.write = function (...args) {
    if (record.firstWrite === undefined) record.firstWrite = now();
    return write.apply(this, args);
  };
});

process.on('message', (msg) => {
  if (msg.cmd === 'cpu') process.send({ cpu: process.cpuUsage() });
  else if (msg.cmd === 'marks') {
    setMarks(msg.on);
    process.send({ ok: true });
  } else if (msg.cmd === 'take') {
    process.send({ marks: records });
    records = [];
    current = null;
  } else if (msg.cmd === 'stop') void running.close({ graceMs: 0 }).then(() => process.exit(0));
});
process.send({ port: running.port });
