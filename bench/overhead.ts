// 2. CPU per call with an in-memory fetch (no socket): what fetchBinding adds over the same stub called bare.
import { contenders } from './contenders.ts';
import { exampleBody, jsonType } from './contract.ts';
import { interleaved } from './stats.ts';

/** Answers every request at once from memory, as a real fetch would shape it. */
const stubFetch = (async () =>
  new Response(exampleBody, { headers: { 'content-type': jsonType } })) as unknown as typeof fetch;

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
