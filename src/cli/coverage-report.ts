// Reads coverage files, merges them (all or none: a bad file is named and nothing is merged), and
// measures the merge against the contract's model: per scope (an operation, or a body's schema) and per
// dimension, what was covered, of how many, and each item never exercised.
import { open } from 'node:fs/promises';
import { coverageModel } from '../../generated/coverage-model.js';
import { quoted } from '../client/quote.js';
import { COVERAGE_FORMAT, COVERAGE_VERSION, type CoverageData } from '../testing/coverage.js';
import { DIMENSIONS, type Dimension } from '../testing/coverage-items.js';
import { UsageError } from './flags.js';
import { printable } from './reporters.js';
import { render, said } from './said.js';

const KNOWN = new Set(coverageModel.items.map((item) => item.id));

/** The most bytes `coverage` reads of any file it is given (a coverage file, --baseline, --known-gaps). */
export const MAX_COVERAGE_FILE_BYTES = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;

const tooLarge = (named: string) =>
  new UsageError(
    `${named} is larger than ${MAX_COVERAGE_FILE_BYTES / 1024 / 1024} MiB, the most bindings-contract coverage reads of a file`,
  );

/**
 * A file's text, never more than MAX_COVERAGE_FILE_BYTES of it: a file whose size is past the limit is
 * refused before a byte is read, and one with no size (a pipe, a device) or that grows meanwhile is read
 * in chunks and refused as the limit is passed. `named`: the file as messages name it.
 */
async function boundedText(path: string, named: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    if ((await handle.stat()).size > MAX_COVERAGE_FILE_BYTES) throw tooLarge(named);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(CHUNK), 0, CHUNK, null);
      if (!bytesRead) break;
      total += bytesRead;
      if (total > MAX_COVERAGE_FILE_BYTES) throw tooLarge(named);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * A JSON file's value (a UTF-8 byte order mark at its start ignored); a file that cannot be read, is too
 * large or is not JSON is a UsageError naming it.
 */
export async function readJson(path: string, named: string, as: string): Promise<unknown> {
  let text: string;
  try {
    text = await boundedText(path, named);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const why = (error as NodeJS.ErrnoException).code ?? 'it cannot be read';
    throw new UsageError(`${named} cannot be read as ${as} (${why})`);
  }
  try {
    // A Windows editor starts a UTF-8 file with a byte order mark, which JSON.parse refuses.
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    throw new UsageError(`${named} cannot be read as ${as} (it is not JSON)`);
  }
}

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
 * one. A stop (the signal's reason: a `Stopped`) ends the reading between two files.
 */
export async function readCoverage(paths: readonly string[], signal?: AbortSignal): Promise<CoverageData[]> {
  if (!paths.length) throw new UsageError('give at least one coverage file');
  const read: CoverageData[] = [];
  for (const path of paths) {
    signal?.throwIfAborted();
    read.push(await readCoverageFile(path));
  }
  return read;
}

/** One coverage file, read and checked; `named`: the file as messages name it (with its flag, if any). */
export async function readCoverageFile(path: string, named = quoted(path)): Promise<CoverageData> {
  const value = await readJson(path, named, 'coverage');
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
  const sources = [...new Set(files.map((f) => f.source))].join(' + ');
  return {
    format: COVERAGE_FORMAT,
    version: COVERAGE_VERSION,
    contract: { ...coverageModel.contract },
    source: sources,
    exercised,
  };
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
  contract: { title: string; version: string };
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

/**
 * The merge measured against the model. `gaps` are items a reviewed file says need not be covered (each
 * with its reason): they are listed, with the reason, and left out of the tallies.
 */
export function measure(data: CoverageData, gaps: Record<string, string> = {}): CoverageReport {
  const scopes = new Map<string, CoverageReport['scopes'][number]>();
  const byDimension = Object.fromEntries(DIMENSIONS.map((d) => [d, { covered: 0, total: 0 }])) as Record<
    Dimension,
    Tally
  >;
  const overall = { covered: 0, total: 0 };
  for (const item of coverageModel.items) {
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
    sources: shown(data.source),
    overall,
    byDimension,
    scopes: [...scopes.values()],
  };
}
