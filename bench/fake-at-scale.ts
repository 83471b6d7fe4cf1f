// 10. The fake at scale and what the contract-testing tools cost: a full walk over 100,000 bindings
// against one over 10,000 (a walk is linear in what it holds), the fake's throughput with coverage
// recording on and off (recording costs at most 5%), and verify --fuzz cases per second against the
// in-process fake.
import { createBindingsClient } from 'conversations-bindings-contract';
import { bindingFor, createBindingsFake, exampleBindings } from 'conversations-bindings-contract/testing';
import { operationRegistry } from '../generated/registry.js';
import { verify } from '../src/cli/verify.ts';
import { CREDENTIALS, SIDS } from './contract.ts';
import { inFlight } from './meter.ts';
import { figureVerdict, ratioCell, ratioVerdict, type Section, table } from './report.ts';
import { interleaved, type Summary, spread } from './stats.ts';

const PAGE = 100;
const SIZES = [10_000, 100_000] as const;

/** ms per 1,000 bindings of a full walk (page size 100) over a fake holding `held` bindings. */
function walker(held: number) {
  const bindings = Array.from({ length: held }, () => bindingFor({ chat_service_sid: SIDS.chatServiceSid }));
  const fake = createBindingsFake({ bindings, credentials: CREDENTIALS, recordCoverage: false });
  const client = createBindingsClient({ ...CREDENTIALS, fetch: fake.fetch, retry: false });
  return async () => {
    const begin = process.hrtime.bigint();
    let count = 0;
    for await (const _ of client.listBindings({ chatServiceSid: SIDS.chatServiceSid, pageSize: PAGE }))
      count++;
    if (count !== held) throw new Error(`the walk listed ${count} of ${held}`);
    return Number(process.hrtime.bigint() - begin) / 1e6 / (held / 1000);
  };
}

/** fetchBinding requests per second, 10 in flight, against an in-process fake recording coverage or not. */
function served(record: boolean) {
  const fake = createBindingsFake({ credentials: CREDENTIALS, recordCoverage: record });
  const client = createBindingsClient({ ...CREDENTIALS, fetch: fake.fetch, retry: false });
  return async () => 1e6 / (await inFlight(() => client.fetchBinding(SIDS), 10_000, 10)).wall;
}

/** verify --fuzz cases per second against an in-process fake (generation, sending, judging, shrinking none). */
async function fuzzCasesPerSecond(): Promise<number> {
  const deletable = bindingFor({});
  const fresh = () =>
    createBindingsFake({ bindings: [...exampleBindings(), deletable], credentials: CREDENTIALS });
  const runs = 300;
  const options = {
    baseUrl: 'http://fake.invalid',
    ...CREDENTIALS,
    instances: {
      parents: { chatServiceSid: SIDS.chatServiceSid },
      known: { [operationRegistry.FetchServiceBinding.resource]: SIDS.sid },
      deletable: { [operationRegistry.DeleteServiceBinding.resource]: deletable.sid as string },
    },
    seed: 1,
    timeoutMs: 10_000,
    mock: false,
    maxPages: 5,
    pageSize: 50,
    maxResponseBytes: 1 << 20,
  };
  const timed = async (given: Parameters<typeof verify>[0]) => {
    const begin = process.hrtime.bigint();
    const report = await verify(given);
    if (report.summary.failed) throw new Error('a run failed against the fake: no figure');
    return Number(process.hrtime.bigint() - begin) / 1e9;
  };
  // The fixed checks alone, then with the fuzz checks: what the fuzz cases took is the difference.
  const fixed = await timed({ ...options, fetch: fresh().fetch });
  const fuzzed = { ...options, fetch: fresh().fetch, fuzz: { runs, maxRequests: 100_000, sent: 0 } };
  const both = await timed(fuzzed);
  return fuzzed.fuzz.sent / Math.max(both - fixed, 1e-3);
}

export const scaleSection: Section = {
  number: 10,
  title: 'The fake at scale, coverage recording and fuzz cases',
  async run({ rounds }) {
    const walkRounds = Math.max(3, Math.round(rounds / 5));
    const walks = await interleaved(Object.fromEntries(SIZES.map((n) => [String(n), walker(n)])), walkRounds);
    const recording = await interleaved({ on: served(true), off: served(false) }, rounds);
    const cases = await interleaved({ fuzz: fuzzCasesPerSecond }, Math.max(3, Math.round(rounds / 5)));
    const fuzz: (Summary | undefined)[] = [cases.fuzz];
    const [small, large] = SIZES.map((n) => walks[String(n)]);
    return {
      markdown: [
        `## 10. The fake at scale (a walk at page size ${PAGE}, ${walkRounds} rounds), coverage recording (${rounds} rounds), verify --fuzz cases`,
        '',
        ...table(
          ['figure', 'measured', 'baseline', 'ratio'],
          [
            [
              `a full walk over ${SIZES[1].toLocaleString('en-US')} bindings, per 1,000`,
              large ? spread(large, 'ms') : '–',
              small ? `${SIZES[0].toLocaleString('en-US')} bindings: ${spread(small, 'ms')}` : '–',
              ratioCell(large, small),
            ],
            [
              'the fake in-process, recording coverage',
              recording.on ? spread(recording.on, 'req/s', 0) : '–',
              recording.off ? `not recording: ${spread(recording.off, 'req/s', 0)}` : '–',
              ratioCell(recording.on, recording.off),
            ],
            [
              'verify --fuzz against the in-process fake',
              fuzz[0] ? spread(fuzz[0], 'cases/s', 0) : '–',
              '',
              '',
            ],
          ],
        ),
        '',
        "The walk goes through the client (validation on) and the in-process fake, as a consumer's test does; a figure per 1,000 bindings that stays the same from 10,000 to 100,000 held is a walk linear in what the fake holds (a page costs what it serves). Recording is the fake's coverage of the contract (fake.coverage()), on by default. A fuzz case is generated from the contract's arbitraries, sent, and judged (with the fixed checks run first, as verify runs them).",
      ],
      verdicts: [
        ratioVerdict('a walk per binding over 100,000 ≤ 1.5× one over 10,000 (linear)', large, small, {
          atMost: 1.5,
        }),
        ratioVerdict(
          'the fake recording coverage ≥ 0.95× its throughput without',
          recording.on,
          recording.off,
          { atLeast: 0.95 },
        ),
        figureVerdict('verify --fuzz ≥ 500 cases/s against the in-process fake', fuzz[0], 'cases/s', {
          atLeast: 500,
        }),
      ],
    };
  },
};
