/**
 * The benchmark's child processes (each measured on its own: CPU from `/proc/<pid>/stat`,
 * resident memory from `/proc/<pid>/status`) and the machine they run on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { once } from 'node:events';

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  port: number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  /** Arguments after `node`. */
  args: string[];
  cwd: string;
  /** How to find the port in a line of stdout. */
  portOf: (line: string) => number | undefined;
  /** Where stdout goes once the port is known (logs); default: discarded. */
  logFile?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Starts `node ...args` and resolves once it printed its port. Its stdout goes to a file
 * (read back for the port), so a chatty logger costs the child what it costs in
 * production, not the load generator.
 */
export async function spawnChild(options: SpawnOptions): Promise<Child> {
  const file = options.logFile ?? `/tmp/streamgate-bench-${options.name}-${process.pid}.log`;
  const out = openSync(file, 'w');
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', out, 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s.slice(0, 4000)));
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}: ${stderr.trim()}`);
    const port = readFileSync(file, 'utf8').split('\n').map(options.portOf).find((p) => p !== undefined);
    if (port !== undefined) {
      return {
        name: options.name,
        process: child,
        pid: child.pid as number,
        port,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
          if (options.logFile === undefined) rmSync(file, { force: true });
        },
      };
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not start in time: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the benchmark targets

/** User + system CPU time of a process so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** Resident memory of a process, in KiB. */
export function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  date: string;
  /** The hard limit of open files, which bounds the idle-stream phase. */
  openFilesLimit: number;
}

export function describeMachine(openFilesLimit: number): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
    date: new Date().toISOString(),
    openFilesLimit,
  };
}
