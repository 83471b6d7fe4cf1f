// One section of `npm run bench`, in a Node process of its own (bench/run.ts starts one per section), so
// that what an earlier section left behind (its heap, code the JIT compiled for other contenders) does
// not tilt this one's figures. Writes the section's result as JSON to the file named.
import { writeFileSync } from 'node:fs';
import { SECTIONS } from './sections.ts';

const [index, out] = process.argv.slice(2);
const section = SECTIONS[Number(index)];
if (!section || !out) throw new Error('usage: tsx bench/section.ts <index> <result.json>');
const result = await section.run({ rounds: Number(process.env.BENCH_ROUNDS ?? 15) });
writeFileSync(out, JSON.stringify(result));
