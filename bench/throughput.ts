// 9. The stateful fake and Prism as targets: requests per second each serves to the same client with the
// same concurrency, and the time from start to its first answer; ratios against Prism.
import { createBindingsClient } from 'conversations-bindings-contract';
import { createBindingsFake } from 'conversations-bindings-contract/testing';
import { startPrism } from '../src/cli/prism.ts';
import { CREDENTIALS, SIDS } from './contract.ts';
import { inFlight } from './meter.ts';
import { figureVerdict, ratioCell, ratioVerdict, type Section, table } from './report.ts';
import { interleaved, type Summary, spread } from './stats.ts';
import { startCommand } from './targets.ts';

const REQUESTS = 1000;
/**
 * In-process calls cost tens of microseconds: 1,000 of them are a few milliseconds, too short for the JIT
 * to settle (a first run measured 90 µs a call where a settled one takes 35). Ten times as many make its
 * round last about as long as an HTTP target's.
 */
const IN_PROCESS_REQUESTS = 10 * REQUESTS;
const CONCURRENCY = 10;
const IN_PROCESS = 'the fake in-process (fake.fetch)';
const FAKE_HTTP = 'the fake over HTTP (`bindings-contract mock --stateful`, own process)';
const PRISM = 'Prism 5 mock over HTTP (own process)';

/** The same client for every target: fetchBinding of the example binding, no retries. */
const clientOf = (target: { baseUrl?: string; fetch?: typeof fetch }) =>
  createBindingsClient({ ...CREDENTIALS, ...target, retry: false });

/** A started target: how to call it, and how to stop it. */
interface Started {
  fetchOne: () => Promise<unknown>;
  /** Requests a round (requests per second is the same rate whatever the count). */
  requests: number;
  stop: () => Promise<void>;
}

const STARTS: Record<string, () => Promise<Started>> = {
  [IN_PROCESS]: async () => {
    const fake = createBindingsFake({ credentials: CREDENTIALS });
    const client = clientOf({ fetch: fake.fetch });
    return { fetchOne: () => client.fetchBinding(SIDS), requests: IN_PROCESS_REQUESTS, stop: async () => {} };
  },
  [FAKE_HTTP]: async () => {
    const target = await startCommand(['mock', '--stateful', '--port', '0'], {
      ...process.env,
      BINDINGS_USERNAME: CREDENTIALS.username,
      BINDINGS_PASSWORD: CREDENTIALS.password,
    });
    const client = clientOf({ baseUrl: target.url });
    return { fetchOne: () => client.fetchBinding(SIDS), requests: REQUESTS, stop: target.stop };
  },
  [PRISM]: async () => {
    const prism = await startPrism();
    const client = clientOf({ baseUrl: prism.url });
    return { fetchOne: () => client.fetchBinding(SIDS), requests: REQUESTS, stop: prism.stop };
  },
};

/** ms from starting a target to its first successful answer (the stop is not timed). */
const untilFirstAnswer = (start: () => Promise<Started>) => async () => {
  const begin = process.hrtime.bigint();
  const started = await start();
  try {
    await started.fetchOne();
    return Number(process.hrtime.bigint() - begin) / 1e6;
  } finally {
    await started.stop();
  }
};

async function throughput(rounds: number): Promise<Record<string, Summary>> {
  const started: Record<string, Started> = {};
  try {
    for (const [name, start] of Object.entries(STARTS)) started[name] = await start();
    return await interleaved(
      Object.fromEntries(
        Object.entries(started).map(([name, { fetchOne, requests }]) => [
          name,
          async () => 1e6 / (await inFlight(fetchOne, requests, CONCURRENCY)).wall,
        ]),
      ),
      rounds,
    );
  } finally {
    await Promise.all(Object.values(started).map((s) => s.stop()));
  }
}

export const throughputSection: Section = {
  number: 9,
  title: 'The stateful fake and Prism as targets',
  async run({ rounds }) {
    const served = await throughput(rounds);
    // Each round starts and stops two processes (Prism's stop alone takes seconds): a third of the rounds.
    const startRounds = Math.max(3, Math.round(rounds / 3));
    const first = await interleaved(
      Object.fromEntries(Object.entries(STARTS).map(([name, start]) => [name, untilFirstAnswer(start)])),
      startRounds,
    );
    return {
      markdown: [
        `## 9. The stateful fake and Prism as targets: fetchBinding, ${CONCURRENCY} in flight (${REQUESTS.toLocaleString('en-US')} requests a round over HTTP, ${IN_PROCESS_REQUESTS.toLocaleString('en-US')} in-process); start to first answer (${startRounds} rounds)`,
        '',
        ...table(
          ['target', 'requests per second', 'vs Prism', 'start to first answer', 'vs Prism'],
          Object.keys(STARTS).map((name) => [
            name,
            served[name] ? spread(served[name], 'req/s', 0) : '–',
            ratioCell(served[name], served[PRISM]),
            first[name] ? spread(first[name], 'ms') : '–',
            ratioCell(first[name], first[PRISM]),
          ]),
        ),
        '',
        'Both the fake and the client are the built package, imported as a consumer imports them (`conversations-bindings-contract` and `/testing`). In-process, "start" is creating the fake and a client, then the first call (modules already loaded); over HTTP it is spawning the process until the first successful fetchBinding. The fake over HTTP is the built command line of the package (`dist/`, plain Node), as a consumer runs it; Prism runs its own built CLI.',
      ],
      verdicts: [
        ratioVerdict("the fake in-process ≥ 20× Prism's throughput", served[IN_PROCESS], served[PRISM], {
          atLeast: 20,
        }),
        figureVerdict('the fake in-process: start to first answer < 100 ms', first[IN_PROCESS], 'ms', {
          atMost: 100,
        }),
        figureVerdict('the fake over HTTP: start to first answer < 1,000 ms', first[FAKE_HTTP], 'ms', {
          atMost: 1000,
        }),
      ],
    };
  },
};
