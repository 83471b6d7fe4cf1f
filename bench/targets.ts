// The local targets the loopback, listing and throughput sections call, each in a process of its own so
// that it shares neither the client's event loop nor its CPU account: started, read for its URL, stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface Target {
  url: string;
  stop(): Promise<void>;
}

const STARTUP_LIMIT_MS = 30_000;

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs bench/<script> under tsx and resolves once it prints the URL it listens on (its first line). */
export function startTarget(script: string, args: string[] = []): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stopChild(child);
      reject(new Error(`bench/${script} ${why}${stderr ? `:\n${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${STARTUP_LIMIT_MS} ms`), STARTUP_LIMIT_MS);
    const early = (code: number | null, signal: string | null) =>
      fail(`exited (${signal ?? code}) before printing its URL`);
    child.once('exit', early);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const [line] = stdout.split('\n', 1);
      if (!stdout.includes('\n') || !line) return;
      clearTimeout(timer);
      child.removeListener('exit', early);
      resolve({ url: line.trim(), stop: () => stopChild(child) });
    });
  });
}
