// Starts and stops a Prism mock of the bundled contract (Node only: used by the CLI and the tests).
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CREDENTIAL_SOURCES } from './flags.js';

/** The bundled contract this package ships. */
export const contractPath = fileURLToPath(new URL('../../generated/openapi.json', import.meta.url));

/** Environment variables Prism never gets: the credentials verify reads. */
const CREDENTIAL_VARIABLES = new Set<string>(CREDENTIAL_SOURCES.flat());
/**
 * Loaded into Prism before its own code (`node --import`): Prism exits when the IPC channel to the process
 * that started it closes, which the kernel does when that process dies, however (SIGKILL included: Node has
 * no PDEATHSIG). So nothing a run started outlives it. Its channel is unref'd: it keeps nothing alive.
 */
const TETHER = `data:text/javascript,${encodeURIComponent(
  "process.once('disconnect', () => process.exit(143)); process.channel?.unref();",
)}`;
/** How long Prism may take to answer its first request. */
const START_TIMEOUT_MS = 30_000;

export interface PrismOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  dynamic?: boolean;
  seed?: number;
  /** Print Prism's own log lines here (default: kept for the error message only). */
  log?: (line: string) => void;
  /** Stops a start in progress: Prism is killed and the start rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface PrismMock {
  url: string;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL after a second; resolves once the process has exited. */
  stop(): Promise<void>;
}

export class PrismNotInstalledError extends Error {
  override name = 'PrismNotInstalledError';
}

/** A port another server already holds: one line for the user, exit status 2. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** A host and port that cannot be listened on (no such address here, no such name, not allowed): exit status 2. */
export class ListenError extends Error {
  override name = 'ListenError';
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

/** Listens on the port and lets it go: a free port when `port` is 0, or a PortInUseError when it is taken. */
export function claimPort(host = '127.0.0.1', port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(`port ${port} on ${host} is already in use`)
          : new ListenError(
              `cannot listen on ${JSON.stringify(host.slice(0, 100))} port ${port} (${error.code ?? error.message})`,
            ),
      ),
    );
    server.listen(port, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export const freePort = (host = '127.0.0.1') => claimPort(host, 0);

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL if it has not exited within a second (Prism takes 1–3 s to obey SIGTERM). */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
  await done;
  clearTimeout(timer);
}

/** A Prism process just spawned: `ready` settles when it answers HTTP (or rejects saying why it did not). */
export interface StartingPrism extends PrismMock {
  ready: Promise<void>;
}

/**
 * Spawns `prism mock` on the bundled contract and returns at once; `ready` resolves when it answers HTTP
 * and rejects (Prism stopped, its last log lines in the message) when it does not.
 */
export async function spawnPrism(options: PrismOptions = {}): Promise<StartingPrism> {
  const host = options.host ?? '127.0.0.1';
  const port = await claimPort(host, options.port ?? 0);
  const args = [prismBin(), 'mock', contractPath, '--host', host, '--port', String(port)];
  if (options.dynamic) args.push('--dynamic');
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !CREDENTIAL_VARIABLES.has(name)),
  );
  const child = spawn(process.execPath, ['--import', TETHER, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...env, DO_NOT_TRACK: '1', SCARF_ANALYTICS: 'false' },
  });
  // The channel is the tether only: it must not keep this process alive on its own.
  child.channel?.unref();
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
  const ready = untilPrismAnswers(url, child, options.signal).catch(async (error: unknown) => {
    await stopProcess(child);
    if (options.signal?.aborted) throw options.signal.reason;
    throw new Error(`Prism did not start on ${url}: ${(error as Error).message}\n${output.join('\n')}`);
  });
  return { url, process: child, ready, stop: () => stopProcess(child) };
}

/** Starts `prism mock` on the bundled contract and resolves when it answers HTTP. */
export async function startPrism(options: PrismOptions = {}): Promise<PrismMock> {
  const { ready, ...prism } = await spawnPrism(options);
  await ready;
  return prism;
}

/** Polls until Prism itself answers at `url` (its own error for an unknown path says so), or fails. */
async function untilPrismAnswers(url: string, child: ChildProcess, signal: AbortSignal | undefined) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('it exited');
    const answer = await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) }).then(
      async (r) => (await r.text()).slice(0, 2000),
      () => undefined,
    );
    // Another server answering on the port is not Prism: Prism names its own errors.
    if (answer?.includes('stoplight.io/prism')) return;
    if (answer !== undefined) throw new Error('something else answers on this port');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer within ${START_TIMEOUT_MS} ms`);
}
