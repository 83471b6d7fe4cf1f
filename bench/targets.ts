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
  return startProcess(
    `bench/${script}`,
    ['--import', 'tsx', join(import.meta.dirname, script), ...args],
    (line) => line.trim(),
  );
}

/**
 * Runs the package's own built command line (`bindings-contract …`, from dist/, as a consumer runs it) and
 * resolves once it announces the URL it serves at.
 */
export function startCommand(args: string[], env: NodeJS.ProcessEnv): Promise<Target> {
  const bin = join(import.meta.dirname, '..', 'dist/src/cli/bin.js');
  return startProcess(
    `bindings-contract ${args.join(' ')}`,
    [bin, ...args],
    (line) => line.match(/ at (http:\/\/[^\s,]+)/)?.[1],
    env,
  );
}

/** Spawns node with these arguments and resolves once its first line of output gives a URL. */
function startProcess(
  name: string,
  args: string[],
  urlOf: (line: string) => string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Target> {
  const child = spawn(process.execPath, args, {
    cwd: join(import.meta.dirname, '..'),
    env,
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
      reject(new Error(`${name} ${why}${stderr ? `:\n${stderr.trim()}` : ''}`));
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
      const url = urlOf(line);
      if (!url) return fail(`printed no URL first (${JSON.stringify(line.slice(0, 200))})`);
      clearTimeout(timer);
      child.removeListener('exit', early);
      resolve({ url, stop: () => stopChild(child) });
    });
  });
}
