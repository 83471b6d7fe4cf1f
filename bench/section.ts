// One section of `npm run bench`, in a Node process of its own (bench/run.ts starts one per section), so
// that what an earlier section left behind (its heap, code the JIT compiled for other contenders) does
// not tilt this one's figures. Writes `{ title, result }` or `{ title?, error }` as JSON to the file
// named: whatever goes wrong, loading the section included, is reported by its own message.
import { writeFileSync } from 'node:fs';
import type { Section } from './report.ts';
import { SECTIONS } from './sections.ts';

const [index, out] = process.argv.slice(2);
const entry = SECTIONS[Number(index)];
if (!entry || !out) throw new Error('usage: tsx bench/section.ts <index> <result.json>');
let title: string | undefined;
try {
  const section = (await import(entry.module))[entry.name] as Section;
  title = section.title;
  process.stderr.write(`${section.number}/${SECTIONS.length} ${title}…\n`);
  const result = await section.run({ rounds: Number(process.env.BENCH_ROUNDS ?? 15) });
  writeFileSync(out, JSON.stringify({ title, result }));
} catch (error) {
  process.stderr.write(`${(error as Error)?.stack ?? error}\n`);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  writeFileSync(out, JSON.stringify({ title, error: message }));
  process.exitCode = 1;
}
