// The last release, built from git for section 12 (bench/release.ts): its tree at the release's commit
// (git archive), this repository's node_modules linked in, and its own build script run there. Built once;
// a build that is there already is kept (remove build/bench-release/ to build it again).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The last release: the commit the issues of this round were filed against (1.2.0, as it landed). */
export const RELEASE = { version: '1.2.0', commit: '83253d54bfd9ef00aa05fff401ec80c6eaec47f0' };
const root = join(import.meta.dirname, '..');
export const releaseDir = join(root, 'build', 'bench-release', RELEASE.version);

export function buildRelease(env: NodeJS.ProcessEnv): void {
  if (existsSync(join(releaseDir, 'dist/src/client/index.js'))) return;
  rmSync(releaseDir, { recursive: true, force: true });
  mkdirSync(releaseDir, { recursive: true });
  const tree = execFileSync('git', ['archive', '--format=tar', RELEASE.commit], {
    cwd: root,
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', releaseDir], { input: tree });
  symlinkSync(join(root, 'node_modules'), join(releaseDir, 'node_modules'), 'dir');
  execFileSync(join(root, 'node_modules/.bin/tsx'), ['scripts/build.ts'], {
    cwd: releaseDir,
    env,
    stdio: 'inherit',
  });
}
