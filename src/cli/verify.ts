// The contract check: finds the instances it works on (named, else listed, else the contract's examples),
// runs the checks of ./checks.ts in their order, each on every operation of the registry it fits, judging
// each answer as it arrives (its body let go once judged), and reports check by check and operation by
// operation. A check that judged nothing, or could not run, never passes; a stopped run keeps the verdicts
// of the checks it finished.
import { secretMarker } from '../client/redact.js';
import type { Instances, Probe, VerifyOptions } from './check.js';
import { findInstances, instanceReplayFlags, pathOf } from './instances.js';
import type { Report } from './report.js';
import { VerifyRun } from './run.js';
import { reportOf } from './run-report.js';
import { seededRandom } from './seeded.js';
import { secretsOf } from './sender.js';

export { MAX_EVIDENCE } from './run.js';
export type { VerifyOptions };

const errorText = (error: unknown) => String((error as Error)?.message ?? error);

/** The instances the run works on, found before any check; a run stopped meanwhile works on what it was given. */
async function instancesOf(run: VerifyRun, random: Probe['random']): Promise<Instances> {
  const { options } = run;
  const given = options.instances ?? {};
  try {
    return await run.before('finding instances', () =>
      findInstances(given, random, (op, instances) =>
        run.send({ operation: op.id, path: pathOf(op, instances) }),
      ),
    );
  } catch (error) {
    if (!options.signal?.aborted) throw error;
    run.stopped = errorText(options.signal.reason);
    return { parents: { ...given.parents }, known: {}, deletable: { ...given.deletable } };
  }
}

export async function verify(options: VerifyOptions): Promise<Report> {
  const run = new VerifyRun(options);
  const random = seededRandom(options.seed);
  const instances = await instancesOf(run, random);
  // A replay repeats the target's flags and names the instances this run worked on, found or given.
  const replayFlags = [
    ...(options.replayFlags ?? ['--base-url', options.baseUrl]),
    ...instanceReplayFlags(instances),
  ];
  const probe: Probe = {
    options: { ...options, replayFlags },
    random,
    instances,
    send: run.send,
    report: run.report,
    facts: { known: {} },
  };
  await run.all(probe);
  return reportOf(run, instances, secretMarker(secretsOf(options)));
}
