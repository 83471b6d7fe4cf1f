// npm run check:generated: regenerates into a scratch folder and fails, printing the diff, when
// generated/ differs from what the spec makes now (in CI: from what is committed).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './generate.ts';
import { generatedDir } from './paths.ts';

const scratch = await mkdtemp(join(tmpdir(), 'bindings-generated-'));
try {
  await generate(scratch);
  const [fresh, committed] = await Promise.all([readdir(scratch), readdir(generatedDir)]);
  const extra = committed.filter((name) => !fresh.includes(name));
  const diff = spawnSync('git', ['diff', '--no-index', '--color=never', '--', generatedDir, scratch], {
    encoding: 'utf8',
  });
  if (diff.status === 0 && extra.length === 0) {
    console.log(`generated/ is up to date (${fresh.length} files).`);
  } else {
    if (diff.stdout) console.error(diff.stdout);
    if (extra.length)
      console.error(`Not made by the generator: ${extra.map((n) => `generated/${n}`).join(', ')}`);
    console.error('generated/ is stale: run `npm run generate` and commit the result.');
    process.exitCode = 1;
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
