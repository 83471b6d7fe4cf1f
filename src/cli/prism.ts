// Starts and stops a Prism mock of the bundled contract (Node only: used by the CLI and the tests).
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled contract this package ships. */
export const contractPath = fileURLToPath(new URL('../../generated/openapi.json', import.meta.url));

export interface PrismOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  dynamic?: boolean;
  seed?: number;
  /** Print Prism's own log lines here (default: kept for the error message only). */
  log?: (line: string) => void;
}

export interface PrismMock {
  url: string;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

export class PrismNotInstalledError extends Error {
  override name = 'PrismNotInstalledError';
}

/** The path of Prism's CLI script, or a PrismNotInstalledError saying how to install it. */
export function prismBin(): string {
  const require = createRequire(import.meta.url);
  try {
    const pkgPath = require.resolve('@stoplight/prism-cli/package.json');
    const bin = (require(pkgPath) as { bin: { prism: string } }).bin.prism;
    return join(dirname(pkgPath), bin);
  } catch {
    throw new PrismNotInstalledError(
      'Prism is not installed. It is an optional peer dependency: npm install --save-dev @stoplight/prism-cli@5.14.2',
    );
  }
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(timer);
}

/** Starts `prism mock` on the bundled contract and resolves when it answers HTTP. */
export async function startPrism(options: PrismOptions = {}): Promise<PrismMock> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await freePort(host));
  const args = [prismBin(), 'mock', contractPath, '--host', host, '--port', String(port)];
  if (options.dynamic) args.push('--dynamic');
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DO_NOT_TRACK: '1', SCARF_ANALYTICS: 'false' },
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      return { url, process: child, stop: () => stopProcess(child) };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stopProcess(child);
  throw new Error(`Prism did not start on ${url}:\n${output.join('\n')}`);
}
