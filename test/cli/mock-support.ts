// What the tests of `mock -- COMMAND` share, in process (mock.test.ts) and as a process (mock.process.test.ts):
// a command that leaves a process behind, and how a test sees whether a process still runs.
import { readFileSync } from 'node:fs';

const pause = () => new Promise((resolve) => setTimeout(resolve, 25));
/** Polls (a bounded count, no clock asserted) until `done` holds; whether it did. */
export async function eventually(done: () => boolean, tries = 400): Promise<boolean> {
  for (let i = 0; i < tries && !done(); i++) await pause();
  return done();
}
/** Whether a process runs: not gone, and not a zombie waiting for whoever inherited it (/proc: Linux, as CI). */
export function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
/** A shell script (its file as $0) that starts `sleep` in the background, writes "its PID, the sleep's" there whole, then `then`. */
export const startsSleep = (then: string) =>
  `sleep 30 & echo "$$ $!" > "$0.part"; mv "$0.part" "$0"; ${then}`;
export const pidsIn = (file: string) => readFileSync(file, 'utf8').trim().split(' ').map(Number);
