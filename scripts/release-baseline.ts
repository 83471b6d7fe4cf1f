// npm run release:baseline: at a release, writes CHANGELOG.md's contract changes for package.json's version
// (from the breaking gate's diff), then records the contract as the last released one, for check:breaking.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { changelogPath, currentBlock, withBlock } from './changelog.ts';
import { baselinePath, generatedDir } from './paths.ts';

const { version, block } = await currentBlock();
const changelog = await readFile(changelogPath, 'utf8');
await writeFile(changelogPath, withBlock(changelog, version, new Date().toISOString().slice(0, 10), block));
const current = JSON.parse(await readFile(join(generatedDir, 'openapi.json'), 'utf8'));
await writeFile(baselinePath, `${JSON.stringify({ 'x-released-version': version, ...current }, null, 2)}\n`);
console.log(`CHANGELOG.md and baseline/openapi.json: the contract as released in ${version}.`);
