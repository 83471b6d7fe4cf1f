// 8. Per-call costs in memory: validating the contract's fetch example against JSON.parse of the same
// text, and the three ways to bound an attempt in time (bench/deadlines.ts) around the same stub fetch.
import { setMaxListeners } from 'node:events';
import { validateServiceBinding } from '../generated/validators.js';
import { exampleBody } from './contract.ts';
import { type Bound, perAttemptTimer, sharedDeadline, timeoutSignalAny } from './deadlines.ts';
import { inFlight, sequential } from './meter.ts';
import { stubFetch } from './overhead.ts';
import { figureVerdict, ratioCell, type Section, table } from './report.ts';
import { interleaved, interleavedFigures, spread } from './stats.ts';

const VALIDATIONS = 20_000;
const ATTEMPTS = 5000;
const IN_FLIGHT = 50;
/** (c)'s granularity: a deadline is rounded up to the next multiple of it. */
const BUCKET_MS = 100;
/** The client's default per-attempt timeout: long enough never to fire here, as in real use. */
const TIMEOUT_MS = 30_000;
const PARSE = 'JSON.parse of the example text';
const BARE = 'the stub called bare';

/** `VALIDATIONS` runs of `step` per round, µs each; each must answer truthy (an object, a pass). */
const perCall = (step: () => unknown) => async () => {
  let passed = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < VALIDATIONS; i++) if (step()) passed++;
  const us = Number(process.hrtime.bigint() - start) / 1e3 / VALIDATIONS;
  if (passed !== VALIDATIONS) throw new Error(`${VALIDATIONS - passed} of ${VALIDATIONS} calls failed`);
  return us;
};

function validation(rounds: number) {
  const parsed: unknown = JSON.parse(exampleBody);
  if (!validateServiceBinding(parsed)) throw new Error("the contract's fetch example fails its own schema");
  return interleaved(
    {
      [PARSE]: perCall(() => JSON.parse(exampleBody)),
      'validateServiceBinding of the parsed example': perCall(() => validateServiceBinding(parsed)),
      'JSON.parse + validateServiceBinding': perCall(() => validateServiceBinding(JSON.parse(exampleBody))),
    },
    rounds,
  );
}

function deadlines(rounds: number) {
  const url = 'http://in-memory.invalid';
  // A caller's signal that lives as long as the program (a shutdown signal), never aborted here. (a) and
  // (c) hold one listener on it per attempt in flight: more than Node's default of 10 is expected here.
  const caller = new AbortController().signal;
  setMaxListeners(IN_FLIGHT, caller);
  const bounded = (bound: Bound) => () =>
    bound(async (signal) => (await stubFetch(url, { signal })).text(), caller);
  const calls: Record<string, () => Promise<unknown>> = {
    [BARE]: async () => (await stubFetch(url)).text(),
    '(a) AbortController + setTimeout/clearTimeout per attempt': bounded(perAttemptTimer(TIMEOUT_MS)),
    '(b) AbortSignal.any([caller, AbortSignal.timeout()])': bounded(timeoutSignalAny(TIMEOUT_MS)),
    [`(c) one shared deadline timer, ${BUCKET_MS} ms buckets`]: bounded(
      sharedDeadline(TIMEOUT_MS, BUCKET_MS),
    ),
  };
  return interleavedFigures(
    Object.fromEntries(
      Object.entries(calls).map(([name, call]) => [
        name,
        async () => ({
          sequential: (await sequential(call, ATTEMPTS)).wall,
          inFlight: (await inFlight(call, ATTEMPTS, IN_FLIGHT)).wall,
        }),
      ]),
    ),
    rounds,
  );
}

export const callCostsSection: Section = {
  number: 8,
  title: 'Per-call costs in memory: validation and deadlines',
  async run({ rounds }) {
    const validated = await validation(rounds);
    const bounded = await deadlines(rounds);
    const bare = bounded[BARE];
    return {
      markdown: [
        `## 8. Validating the fetch example, per call (${VALIDATIONS.toLocaleString('en-US')} calls a round)`,
        '',
        ...table(
          ['work', 'per call', 'vs JSON.parse'],
          Object.entries(validated).map(([name, s]) => [
            name,
            spread(s, 'µs', 2),
            ratioCell(s, validated[PARSE]),
          ]),
        ),
        '',
        `## 8. Bounding an attempt in time (${TIMEOUT_MS.toLocaleString('en-US')} ms, honouring a caller's signal) around the in-memory stub, per call (${ATTEMPTS.toLocaleString('en-US')} calls a round)`,
        '',
        ...table(
          ['attempt', 'one at a time', 'vs the stub', `${IN_FLIGHT} in flight`, 'vs the stub'],
          Object.entries(bounded).map(([name, s]) => [
            name,
            spread(s.sequential, 'µs', 2),
            ratioCell(s.sequential, bare?.sequential),
            spread(s.inFlight, 'µs', 2),
            ratioCell(s.inFlight, bare?.inFlight),
          ]),
        ),
        '',
        "(b)'s timers cannot be cleared: each stays pending, holding its signal, for the whole timeout after its attempt, so part of its cost is paid later, by the garbage collector, in every contender's rounds. (c) aborts up to one bucket late. The client uses (a): the cheapest one at a time, and exact.",
      ],
      verdicts: [
        figureVerdict(
          'validating the fetch example ≤ 1.5 µs per call',
          validated['validateServiceBinding of the parsed example'],
          'µs',
          { atMost: 1.5 },
        ),
      ],
    };
  },
};
