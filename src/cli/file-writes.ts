// Every file the command line writes (--output, --coverage, --baseline), written one way: a file is
// replaced whole or not at all (a temporary file beside it, synced, renamed over it), a pipe or a device is
// written without blocking a thread (a stop ends the wait for a reader), and nothing is ever half-written.
import { randomBytes } from 'node:crypto';
import { close, constants, fstat, open as openCallback, write } from 'node:fs';
import { access, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { Socket } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sleep } from '../client/bounds.js';
import { quoted } from '../client/quote.js';
import { UsageError } from './flags.js';

const openFd = promisify(openCallback);
const statFd = promisify(fstat);
const writeFd = (fd: number, bytes: Buffer, at: number) =>
  new Promise<number>((resolve, reject) =>
    write(fd, bytes, at, bytes.length - at, null, (error, written) =>
      error ? reject(error) : resolve(written),
    ),
  );
const closeFd = promisify(close);

/** What a write may be given in a test instead of node:fs/promises (a disk that fills mid-write). */
export interface WriteSeam {
  open: typeof open;
  rename: typeof rename;
}

export interface WriteOptions {
  /** How messages name the file, with its flag (`--baseline "b.json" (6 characters)`). */
  named: string;
  /** Ends a write that waits (a pipe no one drains); its reason is thrown. */
  signal?: AbortSignal | undefined;
  seam?: WriteSeam | undefined;
}

/** How long a device that is not ready (a terminal paused with Ctrl-S) is waited for between tries. */
const DEVICE_RETRY_MS = 20;
/** How long a write that starts after a stop (mock's --coverage) may wait for a pipe's reader. */
export const MAX_WRITE_AFTER_STOP_MS = 2_000;

/** A file that could not be written, named, with the system's code (ENOSPC, ENXIO…) as `code`. */
export class WriteError extends UsageError {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** `replaced`: the write was of a temporary file, so the file itself is as it was (or still missing). */
const failed = (named: string, error: unknown, replaced = false) => {
  const code = (error as NodeJS.ErrnoException)?.code ?? 'EIO';
  return new WriteError(
    `${named} could not be written (${code})${replaced ? '; it is unchanged' : ''}`,
    code,
  );
};

/**
 * The signal a write is given: the stop's, or, when the stop has come already (mock writes its --coverage
 * as it stops), one that ends the write MAX_WRITE_AFTER_STOP_MS later: a reader that never drains a pipe
 * cannot hold a stopped run.
 */
export function writeSignal(signal: AbortSignal | undefined, named: string): AbortSignal | undefined {
  if (!signal?.aborted) return signal;
  const late = new AbortController();
  const said = `${named} could not be written (no reader took it within ${MAX_WRITE_AFTER_STOP_MS / 1000} s of the stop)`;
  setTimeout(() => late.abort(new WriteError(said, 'ETIMEDOUT')), MAX_WRITE_AFTER_STOP_MS).unref();
  return late.signal;
}

/**
 * Writes `text` to `path`: a file (or none yet) is replaced whole, atomically (a link is followed, and stays
 * a link); a named pipe needs a reader now (else a UsageError: none) and is written as a socket is; a device
 * (/dev/stdout on a terminal, /dev/null) is written in place. A failure is a UsageError naming the file.
 */
export async function writeText(path: string, text: string, options: WriteOptions): Promise<void> {
  const { named, signal } = options;
  signal?.throwIfAborted();
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw failed(named, error);
  });
  if (found?.isDirectory()) throw new UsageError(`${named} is a folder, not a file`);
  if (found && !found.isFile()) return writeSpecial(path, text, options);
  const target = await writeTarget(path);
  return replaceFile(target, text, { ...options, mode: found && found.mode & 0o7777 });
}

/** The file a write of `path` replaces: where its links lead (it stays a link), or the path made absolute. */
export const writeTarget = (path: string): Promise<string> => realpath(path).catch(() => resolve(path));

/** The file replaced by a synced temporary file beside it: a full disk or a stop leaves the old one whole. */
async function replaceFile(
  target: string,
  text: string,
  options: WriteOptions & { mode: number | undefined },
): Promise<void> {
  const { named, signal, seam = { open, rename } } = options;
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const handle = await seam.open(temporary, 'wx', options.mode ?? 0o666);
    try {
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    signal?.throwIfAborted();
    await seam.rename(temporary, target);
    renamed = true;
  } catch (error) {
    if (signal?.aborted && error === signal.reason) throw error;
    throw failed(named, error, true);
  } finally {
    if (!renamed) await unlink(temporary).catch(() => {});
  }
  await syncFolder(dirname(target));
}

/** The rename made durable (a crash after it keeps the new file); a file system that cannot sync a folder is fine. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  await handle?.sync().catch(() => {});
  await handle?.close();
}

/**
 * Named pipes checked before the run and found read (by path): held open until written, because closing
 * one would end its reader's input (EOF), and a reader such as `cat` would be gone by the time of the write.
 */
const heldPipes = new Map<string, number>();

/** A pipe or a device opened to write without blocking, or a WriteError: ENXIO is a pipe with no reader. */
function openSpecial(path: string, named: string): Promise<number> {
  return openFd(path, constants.O_WRONLY | constants.O_NONBLOCK).catch(async (error) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw failed(named, error);
    // A socket cannot be opened at all (/dev/stdout when it is one); a named pipe, not without a reader.
    if ((await stat(path).catch(() => undefined))?.isSocket())
      throw new WriteError(`${named} is a socket, which cannot be opened as a file`, 'ENXIO');
    throw new WriteError(`${named} is a pipe with no reader: nothing would take what is written`, 'ENXIO');
  });
}

/**
 * A pipe or a device, opened without blocking (a named pipe with no reader would hold a thread past any
 * signal: ENXIO says so at once). A pipe is written as a socket (the event loop waits for the reader to
 * drain it, and a stop destroys it); a device in place, a busy one retried until the stop.
 */
async function writeSpecial(path: string, text: string, { named, signal }: WriteOptions): Promise<void> {
  const fd = heldPipes.get(resolve(path)) ?? (await openSpecial(path, named));
  heldPipes.delete(resolve(path));
  const info = await statFd(fd).catch(async (error) => {
    await closeFd(fd);
    throw failed(named, error);
  });
  if (info.isFIFO()) return toPipe(fd, text, named, signal);
  try {
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; ) {
      signal?.throwIfAborted();
      const written = await writeFd(fd, bytes, at).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EAGAIN') return 0;
        throw failed(named, error);
      });
      if (!written) await sleep(DEVICE_RETRY_MS, signal);
      at += written;
    }
  } finally {
    await closeFd(fd);
  }
}

function toPipe(fd: number, text: string, named: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const pipe = new Socket({ fd, readable: false, writable: true });
    const fail = (error: unknown) => {
      signal?.removeEventListener('abort', stop);
      pipe.destroy();
      reject(error);
    };
    const stop = () => fail(signal?.reason);
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    pipe.once('error', (error) => fail(failed(named, error)));
    pipe.end(text, () => {
      signal?.removeEventListener('abort', stop);
      pipe.destroy();
      resolve();
    });
  });
}

/**
 * Fails now, not after the run, when `path` cannot be written: a folder; a file (or none yet) whose folder
 * is missing or not writable (the file is replaced by one made beside it); a pipe or device not writable;
 * a named pipe with no reader (then held open for the write, so its reader keeps waiting for it).
 * `replaceOnly`: it must be a file or none (the ratchet is replaced, never written into a pipe).
 */
export async function checkWritable(
  path: string,
  { flag = '--output', replaceOnly = false }: { flag?: string; replaceOnly?: boolean } = {},
): Promise<void> {
  const named = `${flag} ${quoted(path)}`;
  const existing = await stat(resolve(path)).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${named} is a folder, not a file`);
  if (existing && !existing.isFile() && replaceOnly)
    throw new UsageError(`${named} is not a file (a pipe or a device): it is replaced when written`);
  if (existing?.isFIFO() && !heldPipes.has(resolve(path))) {
    heldPipes.set(resolve(path), await openSpecial(path, named));
    return;
  }
  if (existing && !existing.isFile())
    return access(path, constants.W_OK).catch(() => {
      throw new UsageError(`${named} cannot be written (it is not writable)`);
    });
  const folder = dirname(existing ? await realpath(path) : resolve(path));
  await access(folder, constants.W_OK).catch(() => {
    throw new UsageError(`${named} cannot be written (its folder is missing or not writable)`);
  });
}
