// `bindings-contract coverage FILE…`: merges coverage files (from the fake, verify, mock --stateful) and
// reports what of the contract they exercised; gates on a minimum (overall and per dimension), on a
// baseline that may only grow, and on a reviewed list of known gaps.
import { stat } from 'node:fs/promises';
import { coverageModel } from '../../generated/coverage-model.js';
import { quoted } from '../client/quote.js';
import type { CoverageData } from '../testing/coverage.js';
import { DIMENSIONS } from '../testing/coverage-items.js';
import {
  type CoverageReport,
  measure,
  merge,
  OPERATIONS,
  percent,
  readCoverage,
  readCoverageFile,
  union,
} from './coverage-report.js';
import { coverageReporters, type Gate } from './coverage-reporters.js';
import { withLock } from './file-lock.js';
import { checkWritable, writeText } from './file-writes.js';
import { readJsonFile } from './files.js';
import { UsageError } from './flags.js';
import { EXIT, type Io } from './io.js';
import { type Flags, helpText, parseWithOperands } from './usage.js';

const dimensionFlags = Object.fromEntries(
  DIMENSIONS.map((d) => [
    `min-${d}`,
    { type: 'string', value: 'PERCENT', about: `the least ${d} coverage that passes` },
  ]),
) as Record<`min-${(typeof DIMENSIONS)[number]}`, { type: 'string'; value: string; about: string }>;

export const COVERAGE_FLAGS = {
  reporter: { type: 'string', value: 'text|json|junit|html', default: 'text', about: 'the report written' },
  output: {
    type: 'string',
    value: 'FILE',
    about: 'write the report there (the text report still goes to stdout)',
  },
  min: { type: 'string', value: 'PERCENT', about: 'the least overall coverage that passes' },
  ...dimensionFlags,
  operation: {
    type: 'string',
    value: 'NAME',
    multiple: true,
    about: `measure and gate only this operation and the schemas it answers with (repeatable): ${OPERATIONS.join(', ')}`,
  },
  baseline: {
    type: 'string',
    value: 'FILE',
    about: 'a coverage file: fail when anything it covers is no longer covered (a ratchet)',
  },
  'write-baseline': {
    type: 'boolean',
    about: 'when every gate passes, write the merge to --baseline (the ratchet goes up)',
  },
  'known-gaps': {
    type: 'string',
    value: 'FILE',
    about: 'a reviewed JSON object of item → reason: listed, left out of the tallies; a stale entry fails',
  },
} satisfies Flags;

export const COVERAGE_HELP = helpText(
  ['bindings-contract coverage FILE… [--min PERCENT] [--min-status PERCENT …] [--baseline FILE] [flags]'],
  "Merges coverage files and reports which of the contract's documented outcomes they exercised.",
  COVERAGE_FLAGS,
  [
    `Items: ${coverageModel.items.length} in this contract (${DIMENSIONS.join(', ')}).`,
    `Exit status: ${EXIT.passed} every gate passed, ${EXIT.failed} a gate failed (the report says which), ${EXIT.usage} bad usage, a file`,
    'that is not coverage of this contract (named; nothing is merged) or one that could not be written (named;',
    `a file is replaced whole or left as it was), ${EXIT.SIGHUP}/${EXIT.SIGINT}/${EXIT.SIGTERM} stopped by SIGHUP/SIGINT/SIGTERM, even while it waits on`,
    "a named pipe or for another run's --baseline lock (nothing written).",
  ],
);

/** A percentage flag: a number from 0 to 100. */
function percentFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,3}(\.\d{1,2})?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 100))
    throw new UsageError(`--${name} must be a percentage from 0 to 100, got ${quoted(value)}`);
  return n;
}

/** --operation's names, each an operation id of the contract; none given: every operation. */
function operationsFrom(names: string[] | undefined): string[] | undefined {
  if (!names?.length) return undefined;
  for (const name of names)
    if (!OPERATIONS.includes(name))
      throw new UsageError(
        `--operation must name an operation of the contract (${OPERATIONS.join(', ')}), got ${quoted(name)}`,
      );
  return [...new Set(names)];
}

async function gapsFrom(path: string | undefined, signal: AbortSignal | undefined) {
  if (path === undefined) return {};
  const named = `--known-gaps ${quoted(path)}`;
  const value = await readJsonFile(path, { named, as: 'known gaps', signal });
  const entries =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
  if (!entries.length && (typeof value !== 'object' || value === null || Array.isArray(value)))
    throw new UsageError(`${named} must be an object of item → reason`);
  for (const [id, reason] of entries)
    if (typeof reason !== 'string' || !reason.trim())
      throw new UsageError(`${named}: ${quoted(id)} needs a reason`);
  return value as Record<string, string>;
}

const KNOWN = new Set(coverageModel.items.map((i) => i.id));

/** Each gate asked for, with what fails it (nothing: it passes): a report shows each, JUnit as a test case. */
function gatesOf(
  report: CoverageReport,
  mins: Record<string, number | undefined>,
  checked: { regressed?: string[] | undefined; stale?: string[] | undefined },
): Gate[] {
  const gates: Gate[] = [];
  const min = (flag: string, value: number | undefined, got: number) => {
    if (value === undefined) return;
    const said = `${flag} ${value}: ${got.toFixed(1)}% covered`;
    gates.push({ gate: `${flag} ${value}`, said, failures: got < value ? [said] : [] });
  };
  min('--min', mins.min, percent(report.overall));
  for (const d of DIMENSIONS) min(`--min-${d}`, mins[`min-${d}`], percent(report.byDimension[d]));
  const { regressed, stale } = checked;
  if (regressed)
    gates.push({
      gate: '--baseline',
      said: '--baseline: everything it covers is still covered',
      failures: regressed.map((id) => `--baseline: ${id} was covered and is no longer`),
    });
  if (stale)
    gates.push({
      gate: '--known-gaps',
      said: '--known-gaps: every entry names an item still not covered',
      failures: stale.map(
        (id) =>
          `--known-gaps: ${id} is listed, but ${KNOWN.has(id) ? 'it is covered' : 'this contract does not document it'}`,
      ),
    });
  return gates;
}

/** What the merge, the baseline and the known gaps say of each gate asked for. */
async function judge(values: CoverageValues, files: string[], io: Io) {
  const writing = values['write-baseline'] === true;
  const operations = operationsFrom(values.operation);
  const mins: Record<string, number | undefined> = { min: percentFlag('min', values.min) };
  for (const d of DIMENSIONS) mins[`min-${d}`] = percentFlag(`min-${d}`, values[`min-${d}`]);
  if (writing && values.baseline === undefined)
    throw new UsageError('--write-baseline needs --baseline FILE');
  // What will be written is checked before anything is read: a run never ends on a write it could not do.
  if (values.output !== undefined) await checkWritable(values.output);
  if (writing && values.baseline !== undefined)
    await checkWritable(values.baseline, { flag: '--baseline', replaceOnly: true });
  const gaps = await gapsFrom(values['known-gaps'], io.signal);
  const merged = merge(await readCoverage(files, io.signal));
  const baseline =
    values.baseline === undefined ? undefined : await readBaseline(values.baseline, writing, io.signal);
  const report = measure(merged, { gaps, operations });
  // Only what this run measures is gated: an item of an operation left out is neither lost nor stale.
  const measured = new Set(report.scopes.flatMap((s) => s.items.map((i) => i.id)));
  const covered = (id: string) => (merged.exercised[id] ?? 0) > 0;
  const regressed =
    values.baseline === undefined
      ? undefined
      : Object.keys(baseline?.exercised ?? {}).filter(
          (id) => baseline?.exercised[id] && measured.has(id) && !covered(id),
        );
  const stale =
    values['known-gaps'] === undefined
      ? undefined
      : Object.keys(gaps).filter((id) => !KNOWN.has(id) || (measured.has(id) && covered(id)));
  return { merged, report, gates: gatesOf(report, mins, { regressed, stale }) };
}

type CoverageValues = ReturnType<typeof parseWithOperands<typeof COVERAGE_FLAGS>>['values'];

export async function runCoverage(argv: string[], _env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { values, operands: files } = parseWithOperands(argv, COVERAGE_FLAGS);
  const reporter = values.reporter ?? 'text';
  if (!Object.hasOwn(coverageReporters, reporter))
    throw new UsageError(`--reporter must be text, json, junit or html, got ${quoted(reporter)}`);
  const { merged, report, gates } = await judge(values, files, io);
  const rendered = coverageReporters[reporter as keyof typeof coverageReporters](report, gates);
  // A stopped run reports nothing and moves no ratchet: main says it stopped, with the signal's status.
  io.signal?.throwIfAborted();
  if (values.output !== undefined) {
    io.stdout(coverageReporters.text(report, gates));
    const named = `--output ${quoted(values.output)}`;
    await writeText(values.output, rendered, { named, signal: io.signal, seam: io.writeSeam });
  } else io.stdout(rendered);
  if (gates.some((g) => g.failures.length)) return EXIT.failed;
  if (values['write-baseline'] && values.baseline) await writeBaseline(values.baseline, merged, io);
  return EXIT.passed;
}

/**
 * The ratchet moved up: under its lock, what is there now (another run may have written it since it was
 * read) is merged with this run's coverage, and the file replaced atomically, so no run's items are lost.
 */
async function writeBaseline(path: string, merged: CoverageData, io: Io): Promise<void> {
  const named = `--baseline ${quoted(path)}`;
  const options = { named, signal: io.signal };
  await withLock(path, { ...options, waitMs: io.lockWaitMs }, async () => {
    const now = await readBaseline(path, true, io.signal);
    const next = now ? union(now, merged) : merged;
    await writeText(path, `${JSON.stringify(next, null, 2)}\n`, { ...options, seam: io.writeSeam });
  });
}

/** The baseline's coverage; none yet is no regression when it is about to be written. */
async function readBaseline(path: string, writing: boolean, signal: AbortSignal | undefined) {
  const named = `--baseline ${quoted(path)}`;
  const found = await stat(path).catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' ? 'missing' : 'unreadable',
  );
  if (found === 'missing' && writing) return undefined;
  if (found === 'missing')
    throw new UsageError(`${named} does not exist (give --write-baseline to create it)`);
  // Only a missing file is "none yet": one there but unreadable is said as such (the reader says why).
  return readCoverageFile(path, { named, signal });
}
