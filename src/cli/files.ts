// Every file the command line reads (coverage files, --baseline, --known-gaps, --fixtures), read one way:
// bounded in bytes, in JSON nesting and in JSON items, and ended by a stop whatever it waits on (a named pipe
// no one writes to included): nothing is read on a thread a signal cannot reach.
import { close, constants, fstat, open, read, type Stats } from 'node:fs';
import { Socket } from 'node:net';
import { isatty } from 'node:tty';
import { promisify } from 'node:util';
import { jsonDepth, MAX_JSON_DEPTH } from '../client/body.js';
import { UsageError } from './flags.js';

/** The most bytes the command line reads of any file it is given. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/**
 * The most items (array items and object members, all told) of a JSON file it reads: a coverage file holds a
 * few hundred, fixtures about 14 a binding. Its nesting is bounded as a response's is (MAX_JSON_DEPTH).
 */
export const MAX_FILE_JSON_ITEMS = 100_000;
const CHUNK = 1024 * 1024;

const openFd = promisify(open);
const statFd = promisify(fstat);
const readFd = promisify(read);
const closeFd = promisify(close);

/** How a message names a file (with its flag, if any: `--baseline "b.json" (6 characters)`). */
export interface Named {
  named: string;
  /** Ends the read (its reason is thrown) wherever it waits. */
  signal?: AbortSignal | undefined;
}

const tooLarge = (named: string) =>
  new UsageError(
    `${named} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, the most bindings-contract reads of a file`,
  );

/**
 * A file's bytes, never more than MAX_FILE_BYTES: a file whose size is past it is refused unread; a pipe
 * or a device (no size) is refused as the read passes it. Opened without blocking (O_NONBLOCK: a named pipe
 * with no writer would hold the opening thread past any signal), a pipe is then read as a socket is, so a
 * stop ends the wait for its writer.
 */
export async function readBytes(path: string, { named, signal }: Named): Promise<Buffer> {
  signal?.throwIfAborted();
  const fd = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let owned = true;
  try {
    const info = await statFd(fd);
    refuseUnreadable(info, fd, named);
    if (info.isFIFO()) {
      owned = false; // the socket closes it
      return await fromPipe(fd, named, signal);
    }
    return await fromFile(fd, named, signal);
  } finally {
    if (owned) await closeFd(fd);
  }
}

function refuseUnreadable(info: Stats, fd: number, named: string): void {
  if (info.isDirectory()) throw new UsageError(`${named} is a folder, not a file`);
  if (isatty(fd)) throw new UsageError(`${named} is a terminal, not a file`);
  if (info.isFile() && info.size > MAX_FILE_BYTES) throw tooLarge(named);
}

/** A file or a device, in chunks, the stop checked between them (a chunk of a file never waits on anyone). */
async function fromFile(fd: number, named: string, signal: AbortSignal | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { bytesRead, buffer } = await readFd(fd, Buffer.allocUnsafe(CHUNK), 0, CHUNK, null);
    signal?.throwIfAborted();
    if (!bytesRead) return Buffer.concat(chunks);
    total += bytesRead;
    if (total > MAX_FILE_BYTES) throw tooLarge(named);
    chunks.push(buffer.subarray(0, bytesRead));
  }
}

/** A pipe, as a socket (the event loop waits for its writer, not a thread): the stop destroys it. */
function fromPipe(fd: number, named: string, signal: AbortSignal | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pipe = new Socket({ fd, readable: true, writable: false });
    const chunks: Buffer[] = [];
    let total = 0;
    const fail = (error: unknown) => {
      signal?.removeEventListener('abort', stop);
      pipe.destroy();
      reject(error);
    };
    const stop = () => fail(signal?.reason);
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    pipe.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > MAX_FILE_BYTES) fail(tooLarge(named));
      else chunks.push(chunk);
    });
    pipe.once('error', fail);
    pipe.once('end', () => {
      signal?.removeEventListener('abort', stop);
      pipe.destroy();
      resolve(Buffer.concat(chunks));
    });
  });
}

/**
 * How many items JSON text holds (an opening bracket or a comma outside a string counts one), counted up to
 * `limit + 1` in one pass. JSON.parse of 64 MiB of `[{},{},…` took a minute and gigabytes, past any signal.
 */
export function jsonItems(text: string, limit = MAX_FILE_JSON_ITEMS): number {
  let items = 0;
  for (let i = 0; i < text.length && items <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote, past escaped ones.
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123 || c === 44) items++;
  }
  return items;
}

/** Why JSON text is too much to parse (nested too deep, too many items), in words; undefined: it is not. */
export function jsonExcess(text: string): string | undefined {
  if (jsonDepth(text) > MAX_JSON_DEPTH) return `it nests deeper than ${MAX_JSON_DEPTH} levels`;
  if (jsonItems(text) > MAX_FILE_JSON_ITEMS)
    return `it holds more than ${MAX_FILE_JSON_ITEMS.toLocaleString('en-US')} items`;
  return undefined;
}

/**
 * A JSON file's value (a UTF-8 byte order mark at its start ignored): a file that cannot be read, is too
 * large, too deep or too many items, or is not JSON is a UsageError naming it, the rule and what it was read
 * as (`as`: "coverage", "fixtures"). A stop is thrown as the signal's reason.
 */
export async function readJsonFile(path: string, options: Named & { as: string }): Promise<unknown> {
  const { named, as, signal } = options;
  let bytes: Buffer;
  try {
    bytes = await readBytes(path, options);
  } catch (error) {
    if (error instanceof UsageError || (signal?.aborted && error === signal.reason)) throw error;
    const why = (error as NodeJS.ErrnoException).code ?? 'it cannot be read';
    throw new UsageError(`${named} cannot be read as ${as} (${why})`);
  }
  const text = bytes.toString('utf8');
  // Bounded by work too, not only bytes: JSON.parse of 64 MiB of `[[[…` took half a minute and gigabytes.
  const excess = jsonExcess(text);
  if (excess) throw new UsageError(`${named} cannot be read as ${as} (${excess})`);
  try {
    // A Windows editor starts a UTF-8 file with a byte order mark, which JSON.parse refuses.
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    throw new UsageError(`${named} cannot be read as ${as} (it is not JSON)`);
  }
}
