// 2. CPU per call with an in-memory fetch (no socket): what fetchBinding adds over the same stub called bare.
import { contenders } from './contenders.ts';
import { exampleBody, jsonType } from './contract.ts';
import { costPer } from './meter.ts';
import { ratioCell, ratioVerdict, type Section, table } from './report.ts';
import { interleaved, spread } from './stats.ts';

/** Answers every request at once from memory, as a real fetch would shape it. */
export const stubFetch = (async () =>
  new Response(exampleBody, { headers: { 'content-type': jsonType } })) as unknown as typeof fetch;

const STUB = 'the stub called bare';
const OURS = 'fetchBinding (validation on)';
const PICK: Record<string, string> = {
  'bare fetch + res.json()': STUB,
  'bare fetch + a timeout signal': 'bare fetch + a timeout signal',
  [OURS]: OURS,
  'fetchBinding (validation off)': 'fetchBinding (validation off)',
};
const CALLS = 2000;

export const overheadSection: Section = {
  number: 2,
  title: 'CPU per call, in-memory fetch',
  async run({ rounds }) {
    const all = contenders('http://in-memory.invalid', stubFetch);
    const timed = Object.fromEntries(
      Object.entries(PICK).map(([name, label]) => {
        const call = all[name] as () => Promise<unknown>;
        return [
          label,
          async () =>
            (
              await costPer(CALLS, async () => {
                for (let i = 0; i < CALLS; i++) await call();
              })
            ).wall,
        ];
      }),
    );
    const cpu = await interleaved(timed, rounds);
    return {
      markdown: [
        `## 2. CPU per call, in-memory fetch (no socket; ${CALLS.toLocaleString('en-US')} calls a round)`,
        '',
        ...table(
          ['call', 'per call', 'vs the stub called bare'],
          Object.entries(cpu).map(([name, s]) => [name, spread(s, 'µs', 2), ratioCell(s, cpu[STUB])]),
        ),
      ],
      verdicts: [
        ratioVerdict('in-memory: fetchBinding with validation ≤ 2× the bare stub', cpu[OURS], cpu[STUB], {
          atMost: 2,
        }),
        ratioVerdict(
          'in-memory: fetchBinding with validation ≤ 1.25× bare fetch + a timeout signal',
          cpu[OURS],
          cpu['bare fetch + a timeout signal'],
          { atMost: 1.25 },
        ),
      ],
    };
  },
};
