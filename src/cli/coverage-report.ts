// Reads coverage files, merges them (all or none: a bad file is named and nothing is merged), and
// measures the merge against the contract's model: per scope (an operation, or a body's schema) and per
// dimension, what was covered, of how many, and each item never exercised.
import { packageName, packageVersion } from '../../generated/contract.js';
import { coverageModel } from '../../generated/coverage-model.js';
import { quoted } from '../client/quote.js';
import { COVERAGE_FORMAT, COVERAGE_VERSION, type CoverageData } from '../testing/coverage.js';
import { DIMENSIONS, type Dimension } from '../testing/coverage-items.js';
import { readJsonFile } from './files.js';
import { UsageError } from './flags.js';
import { printable } from './reporters.js';
import { render, said } from './said.js';

const KNOWN = new Set(coverageModel.items.map((item) => item.id));

/** Why a value is not a coverage file of this contract (undefined: it is one). */
function problemOf(value: unknown): string | undefined {
  const data = value as Partial<CoverageData> | null;
  if (typeof data !== 'object' || data === null || data.format !== COVERAGE_FORMAT)
    return `it is not a coverage file (no "format": "${COVERAGE_FORMAT}")`;
  if (data.version !== COVERAGE_VERSION)
    return `its format version is ${quoted(data.version)}, not ${COVERAGE_VERSION}`;
  const { title, version } = coverageModel.contract;
  if (data.contract?.title !== title || data.contract?.version !== version)
    return `it was measured against ${quoted(data.contract?.title)} ${quoted(data.contract?.version)}, not this contract (${version})`;
  if (typeof data.source !== 'string') return `its "source" must be a string, got ${quoted(data.source)}`;
  if (typeof data.exercised !== 'object' || data.exercised === null) return 'it has no "exercised" items';
  for (const [id, count] of Object.entries(data.exercised)) {
    if (!KNOWN.has(id)) return `it names ${quoted(id)}, which this contract does not document`;
    if (!Number.isSafeInteger(count) || count < 0) return `its count for ${quoted(id)} is not a whole number`;
  }
  return undefined;
}

/**
 * The coverage files, each read and checked before any is merged: a UsageError (exit 2) names the first bad
 * one. A stop (the signal's reason: a `Stopped`) ends the reading wherever it waits.
 */
export async function readCoverage(paths: readonly string[], signal?: AbortSignal): Promise<CoverageData[]> {
  if (!paths.length) throw new UsageError('give at least one coverage file');
  const read: CoverageData[] = [];
  for (const path of paths) read.push(await readCoverageFile(path, { named: quoted(path), signal }));
  return read;
}

/** One coverage file, read and checked; `named`: the file as messages name it (with its flag, if any). */
export async function readCoverageFile(
  path: string,
  options: { named: string; signal?: AbortSignal | undefined },
): Promise<CoverageData> {
  const { named } = options;
  const value = await readJsonFile(path, { ...options, as: 'coverage' });
  const problem = problemOf(value);
  if (problem) throw new UsageError(`${named} cannot be merged: ${problem}`);
  return value as CoverageData;
}

/**
 * Several coverage files as one (their counts added). A sum stops at Number.MAX_SAFE_INTEGER: past it the
 * merge would hold a count the reader refuses, and a baseline written from it could never be read back.
 */
export function merge(files: readonly CoverageData[]): CoverageData {
  const exercised: Record<string, number> = {};
  for (const file of files)
    for (const [id, count] of Object.entries(file.exercised))
      exercised[id] = Math.min((exercised[id] ?? 0) + count, Number.MAX_SAFE_INTEGER);
  return coverageOf(exercised, files);
}

/** Counts as a coverage file of this contract; its source names each file's sources once. */
function coverageOf(exercised: Record<string, number>, files: readonly CoverageData[]): CoverageData {
  const sources = new Set(files.flatMap((f) => f.source.split(' + ')));
  return {
    format: COVERAGE_FORMAT,
    version: COVERAGE_VERSION,
    contract: { ...coverageModel.contract },
    source: [...sources].join(' + '),
    exercised,
  };
}

/**
 * Two baselines as one: each item covered in either, with the larger count (not the sum: a baseline merged
 * into itself at every write would grow without end). What `--write-baseline` writes over one a concurrent
 * run wrote meanwhile, so neither run's items are lost.
 */
export function union(a: CoverageData, b: CoverageData): CoverageData {
  const exercised: Record<string, number> = { ...a.exercised };
  for (const [id, count] of Object.entries(b.exercised)) exercised[id] = Math.max(exercised[id] ?? 0, count);
  return coverageOf(exercised, [a, b]);
}

/** The operations of the contract, by their operation ids: what `--operation` may name. */
export const OPERATIONS = Object.keys(coverageModel.operations);

/**
 * The scopes a set of operations answers with: the operations, and each schema their bodies hold, however
 * deep (FetchServiceBinding: itself and ServiceBinding; ListServiceBinding: its page, its meta, ServiceBinding).
 */
export function scopesOf(operations: readonly string[]): Set<string> {
  const scopes = new Set(operations);
  const reach = (schema: string | null | undefined) => {
    const properties = schema ? coverageModel.schemas[schema] : undefined;
    if (!schema || !properties || scopes.has(schema)) return;
    scopes.add(schema);
    for (const facts of Object.values(properties)) {
      reach(facts.of);
      reach(facts.each);
    }
  };
  for (const op of operations)
    for (const response of Object.values(coverageModel.operations[op]?.responses ?? {}))
      for (const schema of Object.values(response.types)) reach(schema);
  return scopes;
}

/**
 * Where the coverage came from, as a report shows it: any file may say anything here, so it is quoted as
 * verify quotes a service (MAX_QUOTE characters, then `…`) and no control character reaches a terminal.
 */
const shown = (source: string) => printable(render(said`${source}`));

export interface Tally {
  covered: number;
  total: number;
}

export interface CoverageReport {
  /** The contract measured against: its title and its own version (its `info.version`). */
  contract: { title: string; version: string };
  /** The package that measured it, and its version (not the contract's). */
  package: { name: string; version: string };
  /** The operations gated (`--operation`), when not all. */
  operations?: string[];
  sources: string;
  overall: Tally;
  byDimension: Record<Dimension, Tally>;
  /** Each scope (operation or schema), its tally per dimension, and each item with whether it was covered. */
  scopes: {
    scope: string;
    tally: Tally;
    items: { id: string; dimension: Dimension; covered: boolean; reason?: string }[];
  }[];
}

const percent = ({ covered, total }: Tally) => (total ? (100 * covered) / total : 100);

export { percent };

/** One line: how much of the contract a coverage file exercised. */
export function coverageSummary(data: CoverageData): string {
  const { overall } = measure(data);
  return `Contract coverage: ${overall.covered} of ${overall.total} documented outcomes exercised (${percent(overall).toFixed(1)}%)`;
}

export interface Measure {
  /** Items a reviewed file says need not be covered, each with its reason: listed, left out of the tallies. */
  gaps?: Record<string, string>;
  /** Only these operations (and the schemas they answer with) are measured; default: every one. */
  operations?: readonly string[] | undefined;
}

/** The merge measured against the model. */
export function measure(data: CoverageData, { gaps = {}, operations }: Measure = {}): CoverageReport {
  const within = operations && scopesOf(operations);
  const scopes = new Map<string, CoverageReport['scopes'][number]>();
  const byDimension = Object.fromEntries(DIMENSIONS.map((d) => [d, { covered: 0, total: 0 }])) as Record<
    Dimension,
    Tally
  >;
  const overall = { covered: 0, total: 0 };
  for (const item of coverageModel.items) {
    if (within && !within.has(item.scope)) continue;
    const covered = (data.exercised[item.id] ?? 0) > 0;
    const given = covered ? undefined : gaps[item.id];
    // A reason is shown as a source is: bounded, no control character (the gaps file is text a person edits).
    const reason = given === undefined ? undefined : shown(given);
    const scope = scopes.get(item.scope) ?? { scope: item.scope, tally: { covered: 0, total: 0 }, items: [] };
    scopes.set(item.scope, scope);
    scope.items.push({ id: item.id, dimension: item.dimension, covered, ...(reason && { reason }) });
    if (reason) continue;
    for (const tally of [overall, byDimension[item.dimension], scope.tally]) {
      tally.total++;
      if (covered) tally.covered++;
    }
  }
  return {
    contract: { ...coverageModel.contract },
    package: { name: packageName, version: packageVersion },
    ...(operations && { operations: [...operations] }),
    sources: shown(data.source),
    overall,
    byDimension,
    scopes: [...scopes.values()],
  };
}
