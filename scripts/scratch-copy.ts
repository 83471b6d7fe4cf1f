// A scratch copy of the repository for the contract drill (what git tracks or would, node_modules linked
// in), and how the drill runs a step there: telemetry off, output kept.
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { root } from './paths.ts';

export const run = (command: string, args: string[], cwd: string) =>
  spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', DO_NOT_TRACK: '1', SCARF_ANALYTICS: 'false' },
    maxBuffer: 256 * 1024 * 1024,
  });

/** A copy of the working tree (what git tracks or would) with node_modules linked in: a clone without the clone. */
export async function scratchCopy(): Promise<{ dir: string; done: () => Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), 'contract-drill-'));
  const dir = join(parent, 'repo');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await cp(join(root, file), join(dir, file));
  }
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, done: () => rm(parent, { recursive: true, force: true }) };
}
