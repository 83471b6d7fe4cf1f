// 1. Per request over loopback, sequential and with 50 requests in flight: wall time, and the client
// process's CPU time around the same rounds (the target runs in a process of its own).
import { contenders } from './contenders.ts';
import { type Cost, inFlight, sequential } from './meter.ts';
import { ratioCell, ratioVerdict, type Section, table } from './report.ts';
import { interleavedFigures, type Summary, spread } from './stats.ts';
import { startTarget } from './targets.ts';

const BARE = 'bare fetch + res.json()';
const SDK = 'twilio-node 6';
const OURS = 'fetchBinding (validation on)';

async function measure(baseUrl: string, rounds: number) {
  const all = contenders(baseUrl);
  const each = (run: (call: () => Promise<unknown>) => Promise<Cost>) =>
    Object.fromEntries(Object.entries(all).map(([name, call]) => [name, () => run(call)])) as Record<
      string,
      () => Promise<Cost>
    >;
  return {
    sequential: await interleavedFigures(
      each((call) => sequential(call, 200)),
      rounds,
    ),
    inFlight: await interleavedFigures(
      each((call) => inFlight(call, 1000, 50)),
      rounds,
    ),
  };
}

function render(title: string, figures: Record<string, Record<keyof Cost, Summary>>): string[] {
  const bare = figures[BARE];
  const sdk = figures[SDK];
  return [
    `## ${title}`,
    '',
    ...table(
      [
        'client',
        'per request',
        'vs bare fetch',
        'twilio-node vs it',
        'client CPU per request',
        'CPU vs bare fetch',
        'twilio-node CPU vs it',
      ],
      Object.entries(figures).map(([name, { wall, cpu }]) => [
        name,
        spread(wall, 'µs'),
        ratioCell(wall, bare?.wall),
        ratioCell(sdk?.wall, wall),
        spread(cpu, 'µs'),
        ratioCell(cpu, bare?.cpu),
        ratioCell(sdk?.cpu, cpu),
      ]),
    ),
  ];
}

export const loopbackSection: Section = {
  number: 1,
  title: 'Per request over loopback',
  async run({ rounds }) {
    const target = await startTarget('server.ts');
    let figures: Awaited<ReturnType<typeof measure>>;
    try {
      figures = await measure(target.url, rounds);
    } finally {
      await target.stop();
    }
    const seq = (name: string) => figures.sequential[name]?.wall;
    return {
      markdown: [
        ...render('1. Per request over loopback, sequential (200 requests a round)', figures.sequential),
        '',
        ...render('1. Per request over loopback, 50 in flight (1,000 requests a round)', figures.inFlight),
      ],
      verdicts: [
        ratioVerdict('per request (sequential) ≤ 1.10× bare fetch', seq(OURS), seq(BARE), { atMost: 1.1 }),
        ratioVerdict('per request (sequential): twilio-node ≥ 1.4× ours', seq(SDK), seq(OURS), {
          atLeast: 1.4,
        }),
      ],
    };
  },
};
