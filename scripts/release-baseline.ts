// npm run release:baseline: records the current contract as the last released one, for check:breaking.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baselinePath } from './check-breaking.ts';
import { generatedDir, root } from './paths.ts';

const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
const current = JSON.parse(await readFile(join(generatedDir, 'openapi.json'), 'utf8'));
await writeFile(baselinePath, `${JSON.stringify({ 'x-released-version': version, ...current }, null, 2)}\n`);
console.log(`baseline/openapi.json: the contract as released in ${version}.`);
