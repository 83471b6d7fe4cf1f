// The known-findings file of `verify --known-findings FILE`: the findings a team has reviewed and accepts for
// now, each by its fingerprint, with a reason, an optional link and an optional expiry. Read bounded and
// checked entry by entry (a bad one is exit 2 naming the file and the entry); written by
// --write-known-findings as a starting file, from a run's findings.
import { quoted } from '../client/quote.js';
import { checks } from './checks.js';
import { checkWritable, writeSignal, writeText } from './file-writes.js';
import { readJsonFile } from './files.js';
import { type Fingerprint, fingerprintKey } from './fingerprint.js';
import { UsageError } from './flags.js';
import { operations } from './operations.js';
import type { Known, Report } from './report.js';
import { MAX_QUOTE } from './said.js';

/** The version of the file's format, its `version` member. */
export const KNOWN_FINDINGS_VERSION = 1;
/** The most entries a known-findings file may hold (a run reports at most its checks' evidence). */
export const MAX_KNOWN_FINDINGS = 10_000;

export type KnownEntry = Fingerprint & Known;

/** The reason a starting file gives each entry until someone reviews it. */
export const UNREVIEWED = 'not reviewed yet: say why this finding is accepted, or fix it';

const FIELDS = ['check', 'operation', 'rule', 'where', 'reason', 'link', 'expires'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether text is a real calendar date written YYYY-MM-DD. */
function isDate(text: string): boolean {
  const [, y, m, d] = DATE.exec(text) ?? [];
  if (!y) return false;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.toISOString().slice(0, 10) === text;
}

const checkNames = new Set(checks.map((c) => c.name));
const operationIds = new Set(operations.map((op) => op.id));

/** One entry checked: its fields' types, its check and operation known to this contract, its date real. */
function entryOf(value: unknown, at: string): KnownEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${at} must be an object with check, rule and reason`);
  const entry = value as Record<string, unknown>;
  const stray = Object.keys(entry).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (stray !== undefined)
    throw new UsageError(`${at} has ${quoted(stray)}, which is not one of ${FIELDS.join(', ')}`);
  for (const key of FIELDS)
    if (entry[key] !== undefined && (typeof entry[key] !== 'string' || !(entry[key] as string).trim()))
      throw new UsageError(`${at}: ${key} must be a non-empty string`);
  const { check, operation, rule, reason, expires } = entry as Partial<Record<string, string>>;
  if (check === undefined || rule === undefined || reason === undefined)
    throw new UsageError(
      `${at} needs check, rule and reason (operation, where, link and expires are optional)`,
    );
  if (!checkNames.has(check))
    throw new UsageError(`${at}: check ${quoted(check)} is not a check of verify (verify --help lists them)`);
  if (operation !== undefined && !operationIds.has(operation as never))
    throw new UsageError(`${at}: operation ${quoted(operation)} is not an operation of the contract`);
  if (expires !== undefined && !isDate(expires))
    throw new UsageError(`${at}: expires ${quoted(expires)} is not a date written YYYY-MM-DD`);
  return entry as unknown as KnownEntry;
}

/** A known-findings file's entries, every one checked; bad input is a UsageError (exit 2) naming the file and the entry. */
export async function readKnownFindings(path: string, signal?: AbortSignal): Promise<KnownEntry[]> {
  const named = `--known-findings ${quoted(path)}`;
  const value = await readJsonFile(path, { named, as: 'known findings', signal });
  const file = value as { version?: unknown; findings?: unknown } | null;
  if (
    typeof file !== 'object' ||
    file === null ||
    Array.isArray(file) ||
    file.version !== KNOWN_FINDINGS_VERSION ||
    !Array.isArray(file.findings)
  )
    throw new UsageError(
      `${named} must be {"version": ${KNOWN_FINDINGS_VERSION}, "findings": [ … ]} (bindings-contract verify --write-known-findings FILE writes one)`,
    );
  if (file.findings.length > MAX_KNOWN_FINDINGS)
    throw new UsageError(`${named} holds more than ${MAX_KNOWN_FINDINGS} findings`);
  const seen = new Set<string>();
  return file.findings.map((value, i) => {
    const entry = entryOf(value, `${named}, finding ${i + 1}`);
    const key = fingerprintKey(entry);
    if (seen.has(key)) throw new UsageError(`${named}, finding ${i + 1} repeats an earlier one`);
    seen.add(key);
    return entry;
  });
}

/** A reviewer's words as a report quotes them: bounded as any quote is (MAX_QUOTE characters, then `…`). */
const clip = (text: string) => (text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text);

/** The entries by fingerprint, each matched against a finding as the report is made; `today` decides expiry. */
export class KnownFindings {
  private readonly byKey = new Map<string, KnownEntry>();
  private readonly found = new Set<string>();

  constructor(
    readonly file: string,
    readonly entries: readonly KnownEntry[],
    private readonly today: string,
  ) {
    for (const e of entries) this.byKey.set(fingerprintKey(e), e);
  }

  /** The entry a finding matches, as the report shows it (expired when its date has passed), or none. */
  match(fingerprint: Fingerprint): Known | undefined {
    const key = fingerprintKey(fingerprint);
    const entry = this.byKey.get(key);
    if (!entry) return undefined;
    this.found.add(key);
    const { reason, link, expires } = entry;
    return {
      reason: clip(reason),
      ...(link !== undefined && { link: clip(link) }),
      ...(expires !== undefined && { expires }),
      ...(expires !== undefined && expires < this.today && { expired: true as const }),
    };
  }

  /** The entries no finding matched: the file can shrink. */
  notFound(): KnownEntry[] {
    return this.entries
      .filter((e) => !this.found.has(fingerprintKey(e)))
      .map((e) => ({
        ...e,
        ...{ rule: clip(e.rule), reason: clip(e.reason) },
        ...(e.where !== undefined && { where: clip(e.where) }),
        ...(e.link !== undefined && { link: clip(e.link) }),
      }));
  }
}

/** The day it is, YYYY-MM-DD (UTC), by a clock a test may inject. */
export const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/** A starting file from a report: each finding once, by fingerprint, with its known entry's reason if it had one. */
export function knownFindingsFile(report: Report): string {
  const byKey = new Map<string, KnownEntry>();
  for (const check of report.checks)
    for (const e of check.evidence) {
      if (!e.fingerprint) continue;
      const key = fingerprintKey(e.fingerprint);
      if (!byKey.has(key))
        byKey.set(key, {
          ...e.fingerprint,
          reason: e.known?.reason ?? UNREVIEWED,
          ...(e.known?.link !== undefined && { link: e.known.link }),
          ...(e.known?.expires !== undefined && { expires: e.known.expires }),
        });
    }
  return `${JSON.stringify({ version: KNOWN_FINDINGS_VERSION, findings: [...byKey.values()] }, null, 2)}\n`;
}

/** What --known-findings, --write-known-findings and --strict make of a run, each file checked before anything is sent. */
export async function knownFindingsPlan(
  values: { strict?: boolean; 'known-findings'?: string; 'write-known-findings'?: string },
  now = new Date(),
): Promise<{ options: { strict?: true; known?: KnownFindings }; writeTo?: string }> {
  const file = values['known-findings'];
  const writeTo = values['write-known-findings'];
  if (writeTo !== undefined) await checkWritable(writeTo, { flag: '--write-known-findings' });
  const known =
    file === undefined ? undefined : new KnownFindings(file, await readKnownFindings(file), dayOf(now));
  return {
    options: { ...(values.strict && { strict: true as const }), ...(known && { known }) },
    ...(writeTo !== undefined && { writeTo }),
  };
}

/** Writes --write-known-findings (replaced whole, atomically): the run's findings as a starting file. */
export async function writeKnownFindings(file: string, report: Report, signal?: AbortSignal): Promise<void> {
  const named = `--write-known-findings ${quoted(file)}`;
  await writeText(file, knownFindingsFile(report), { named, signal: writeSignal(signal, named) });
}

/** Whether the run fails: a failed check (whatever else went wrong), or under --strict a known finding no longer found. */
export const failsRun = (report: Report) =>
  report.summary.failed > 0 || (report.strict === true && (report.knownFindings?.notFound.length ?? 0) > 0);
