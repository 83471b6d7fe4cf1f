// `bindings-contract coverage FILE…`: merges coverage files (from the fake, verify, mock --stateful) and
// reports what of the contract they exercised; gates on a minimum (overall and per dimension), on a
// baseline that may only grow, and on a reviewed list of known gaps.
import { stat, writeFile } from 'node:fs/promises';
import { coverageModel } from '../../generated/coverage-model.js';
import { quoted } from '../client/quote.js';
import { DIMENSIONS } from '../testing/coverage-items.js';
import {
  type CoverageReport,
  measure,
  merge,
  percent,
  readCoverage,
  readCoverageFile,
  readJson,
} from './coverage-report.js';
import { coverageReporters } from './coverage-reporters.js';
import { UsageError, writable } from './flags.js';
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
    `Exit status: ${EXIT.passed} every gate passed, ${EXIT.failed} a gate failed (the report says which), ${EXIT.usage} bad usage or a file`,
    `that is not coverage of this contract (named; nothing is merged), ${EXIT.SIGHUP}/${EXIT.SIGINT}/${EXIT.SIGTERM} stopped by SIGHUP/SIGINT/SIGTERM`,
    '(nothing written).',
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

async function gapsFrom(path: string | undefined): Promise<Record<string, string>> {
  if (path === undefined) return {};
  const value = await readJson(path, `--known-gaps ${quoted(path)}`, 'known gaps');
  const entries =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
  if (!entries.length && (typeof value !== 'object' || value === null || Array.isArray(value)))
    throw new UsageError(`--known-gaps ${quoted(path)} must be an object of item → reason`);
  for (const [id, reason] of entries)
    if (typeof reason !== 'string' || !reason.trim())
      throw new UsageError(`--known-gaps ${quoted(path)}: ${quoted(id)} needs a reason`);
  return value as Record<string, string>;
}

/** Every gate the report fails, in words (none: it passes). */
function failedGates(
  report: CoverageReport,
  mins: Record<string, number | undefined>,
  regressed: string[],
  stale: string[],
) {
  const failed: string[] = [];
  const overall = percent(report.overall);
  if (mins.min !== undefined && overall < mins.min)
    failed.push(`--min ${mins.min}: ${overall.toFixed(1)}% covered`);
  for (const d of DIMENSIONS) {
    const min = mins[`min-${d}`];
    const got = percent(report.byDimension[d]);
    if (min !== undefined && got < min) failed.push(`--min-${d} ${min}: ${got.toFixed(1)}% covered`);
  }
  for (const id of regressed) failed.push(`--baseline: ${id} was covered and is no longer`);
  for (const id of stale)
    failed.push(
      `--known-gaps: ${id} is listed, but ${coverageModel.items.some((i) => i.id === id) ? 'it is covered' : 'this contract does not document it'}`,
    );
  return failed;
}

export async function runCoverage(argv: string[], _env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { values, operands: files } = parseWithOperands(argv, COVERAGE_FLAGS);
  const reporter = values.reporter ?? 'text';
  if (!Object.hasOwn(coverageReporters, reporter))
    throw new UsageError(`--reporter must be text, json, junit or html, got ${quoted(reporter)}`);
  const mins: Record<string, number | undefined> = { min: percentFlag('min', values.min) };
  for (const d of DIMENSIONS) mins[`min-${d}`] = percentFlag(`min-${d}`, values[`min-${d}`]);
  if (values['write-baseline'] && values.baseline === undefined)
    throw new UsageError('--write-baseline needs --baseline FILE');
  // What will be written is checked before anything is read: a run never ends on a write it could not do.
  if (values.output !== undefined) await writable(values.output);
  if (values['write-baseline'] && values.baseline !== undefined)
    await writable(values.baseline, '--baseline');
  const gaps = await gapsFrom(values['known-gaps']);
  const merged = merge(await readCoverage(files, io.signal));
  const baseline =
    values.baseline === undefined
      ? undefined
      : await readBaseline(values.baseline, values['write-baseline'] === true);
  const report = measure(merged, gaps);
  const covered = (id: string) => (merged.exercised[id] ?? 0) > 0;
  const regressed = baseline
    ? Object.keys(baseline.exercised).filter((id) => baseline.exercised[id] && !covered(id))
    : [];
  const stale = Object.keys(gaps).filter(
    (id) => covered(id) || !coverageModel.items.some((i) => i.id === id),
  );
  const failed = failedGates(report, mins, regressed, stale);
  const rendered = coverageReporters[reporter as keyof typeof coverageReporters](report, failed);
  // A stopped run reports nothing and moves no ratchet: main says it stopped, with the signal's status.
  io.signal?.throwIfAborted();
  if (values.output !== undefined) {
    io.stdout(coverageReporters.text(report, failed));
    await writeFile(values.output, rendered);
  } else io.stdout(rendered);
  if (failed.length) return EXIT.failed;
  io.signal?.throwIfAborted();
  if (values['write-baseline'] && values.baseline)
    await writeFile(values.baseline, `${JSON.stringify(merged, null, 2)}\n`);
  return EXIT.passed;
}

/** The baseline's coverage; none yet is no regression when it is about to be written. */
async function readBaseline(path: string, writing: boolean) {
  const named = `--baseline ${quoted(path)}`;
  const found = await stat(path).catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' ? 'missing' : 'unreadable',
  );
  if (found === 'missing' && writing) return undefined;
  if (found === 'missing')
    throw new UsageError(`${named} does not exist (give --write-baseline to create it)`);
  if (found !== 'unreadable' && found.isDirectory()) throw new UsageError(`${named} is a folder, not a file`);
  // Only a missing file is "none yet": one there but unreadable is said as such (readCoverageFile says why).
  return readCoverageFile(path, named);
}
