// 2. CPU per call with an in-memory fetch (no socket): what fetchBinding adds over the same stub called bare.
import { readFileSync } from 'node:fs';
import { contenders } from './contenders.ts';
import { interleaved } from './stats.ts';

const spec = JSON.parse(readFileSync(new URL('../generated/openapi.json', import.meta.url), 'utf8'));
const example = JSON.stringify(
  (
    Object.values(
      Object.values(
        spec.paths as Record<
          string,
          {
            get: {
              responses: Record<
                string,
                { content: Record<string, { examples: Record<string, { value: unknown }> }> }
              >;
            };
          }
        >,
      )[0]?.get.responses['200']?.content['application/json']?.examples ?? {},
    )[0] as { value: unknown }
  )?.value,
);

/** Answers every request at once from memory, as a real fetch would shape it. */
const stubFetch = (async () =>
  new Response(example, {
    status: 200,
    headers: { 'content-type': 'application/json' },
  })) as unknown as typeof fetch;

export async function overhead(rounds: number) {
  const all = contenders('http://in-memory.invalid', stubFetch);
  const pick = [
    'bare fetch + res.json()',
    'bare fetch + a timeout signal',
    'fetchBinding (validation on)',
    'fetchBinding (validation off)',
  ];
  const calls = 2000;
  const timed = Object.fromEntries(
    pick.map((name) => [
      name === 'bare fetch + res.json()' ? 'the stub called bare' : name,
      async () => {
        const fetchOne = all[name] as () => Promise<unknown>;
        const start = process.hrtime.bigint();
        for (let i = 0; i < calls; i++) await fetchOne();
        return Number(process.hrtime.bigint() - start) / 1e3 / calls;
      },
    ]),
  );
  return interleaved(timed, rounds);
}
