// npm run check:generated: regenerates into a scratch folder and fails, printing the diff, when
// generated/ differs from what the spec makes now (in CI, generated/ is what is committed).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from './generate.ts';
import { generatedDir } from './paths.ts';

/** A unified diff of folder `dir` against folder `fresh` (stray and missing files included); empty when equal. */
export function difference(dir: string, fresh: string): string {
  const diff = spawnSync('git', ['diff', '--no-index', '--color=never', '--', dir, fresh], {
    encoding: 'utf8',
  });
  if (diff.status !== 0 && diff.status !== 1) throw new Error(`git diff failed: ${diff.stderr}`);
  return diff.stdout;
}

/** A unified diff of `dir` against what the generator makes now; empty when fresh. */
export async function staleness(dir = generatedDir): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'bindings-generated-'));
  try {
    await generate(scratch);
    return difference(dir, scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await staleness();
  if (problems) {
    console.error(`${problems}\ngenerated/ is stale: run \`npm run generate\` and commit the result.`);
    process.exitCode = 1;
  } else {
    console.log('generated/ is up to date.');
  }
}
