// A lock beside a file that several runs may rewrite at once (two CI jobs moving one --baseline): made with
// O_EXCL, waited for within a bound and ended by a stop, and taken over when its holder is gone.
import { constants, link, lstat, open, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { sleep } from '../client/bounds.js';
import { writeTarget } from './file-writes.js';
import { readBytes } from './files.js';
import { UsageError } from './flags.js';

/** How long a run waits for another's lock before it gives up, saying so. */
export const LOCK_WAIT_MS = 10_000;
/** A lock older than this is a crashed run's (a write under it takes milliseconds): it is taken over. */
export const LOCK_STALE_MS = 60_000;
const LOCK_POLL_MS = 25;

export interface LockOptions {
  /** How messages name the file, with its flag. */
  named: string;
  signal?: AbortSignal | undefined;
  /** How long to wait for another run's lock (default LOCK_WAIT_MS). */
  waitMs?: number | undefined;
  /** What opens the lock file, in a test instead of node:fs/promises (a disk that is full). */
  seam?: { open: typeof open } | undefined;
}

/** Who holds a lock, as its file says (written by `take`). */
interface Holder {
  pid?: number;
  host?: string;
}

/**
 * Creates the lock file, or says it is held (EEXIST). One made but not written (a full disk) is removed:
 * left empty, it would hold every later run off until it is stale.
 */
async function take(lock: string, seam: { open: typeof open } = { open }): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await seam.open(lock, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
    await handle.close();
    return true;
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(lock).catch(() => {});
    throw error;
  }
}

/** Whether a held lock's run is gone: it is old, or names a process of this host that no longer exists. */
async function stale(lock: string, named: string): Promise<{ ino: number } | undefined> {
  const info = await lstat(lock).catch(() => undefined);
  if (!info) return undefined; // released meanwhile: the next try takes it
  if (!info.isFile()) throw new UsageError(`${named}: its lock ${lock} is not a file this program made`);
  if (Date.now() - info.mtimeMs > LOCK_STALE_MS) return info;
  const holder = await readBytes(lock, { named: lock })
    .then((bytes) => JSON.parse(bytes.toString('utf8')) as Holder)
    .catch((): Holder => ({}));
  if (holder.host !== hostname() || typeof holder.pid !== 'number') return undefined;
  try {
    process.kill(holder.pid, 0);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? info : undefined;
  }
}

/**
 * A stale lock removed, unless another run replaced it meanwhile: it is moved aside first (one mover wins),
 * and one that turns out to be another file than the one judged stale is put back.
 */
async function remove(lock: string, judged: { ino: number }): Promise<void> {
  const aside = `${lock}.${process.pid}.stale`;
  if (
    !(await rename(lock, aside).then(
      () => true,
      () => false,
    ))
  )
    return;
  const moved = await lstat(aside).catch(() => undefined);
  // Put back with link, which never replaces a lock a third run made meanwhile.
  if (moved && moved.ino !== judged.ino) await link(aside, lock).catch(() => {});
  await unlink(aside).catch(() => {});
}

/**
 * Runs `work` holding the lock beside the file the write reaches (`${realpath}.lock`: every run writing it
 * takes the same lock, through whatever link it was named): waits while another run holds it (polling, at
 * most `waitMs`, ended by the stop), takes over a stale one, and removes it after, whatever `work` did.
 */
export async function withLock<T>(path: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  const { named, signal, waitMs = LOCK_WAIT_MS, seam } = options;
  const lock = `${await writeTarget(path)}.lock`;
  const since = Date.now();
  for (;;) {
    signal?.throwIfAborted();
    const taken = await take(lock, seam).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`${named}: its lock ${lock} cannot be made (${error.code ?? 'an error'})`);
    });
    if (taken) break;
    const judged = await stale(lock, named);
    if (judged) {
      await remove(lock, judged);
      continue;
    }
    if (Date.now() - since >= waitMs)
      throw new UsageError(
        `${named} is being written by another run: its lock ${lock} was held for ${waitMs / 1000} s (remove it if no run is writing)`,
      );
    await sleep(LOCK_POLL_MS, signal);
  }
  try {
    return await work();
  } finally {
    await unlink(lock).catch(() => {});
  }
}
