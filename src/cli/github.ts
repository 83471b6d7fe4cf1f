// What verify tells GitHub Actions when it runs in a job ($GITHUB_STEP_SUMMARY set): the Markdown report
// appended to the job summary (bounded), and one `::error` workflow command per failing check, every
// string in it escaped so that nothing a service sent can end the command or start another.
import { appendFile } from 'node:fs/promises';
import { quoted } from '../client/quote.js';
import { WriteError } from './file-writes.js';
import type { Io } from './io.js';
import type { CheckResult, Report } from './report.js';
import { markdownReport, printable } from './reporters.js';

/** The most bytes verify appends to the job summary: GitHub shows at most 1 MiB of a step's summary. */
export const MAX_STEP_SUMMARY_BYTES = 1024 * 1024 - 4096;
/** The findings an annotation quotes (the rest are in the summary and the report). */
export const ANNOTATION_FINDINGS = 10;

/** A workflow command's data: `%`, CR and LF percent-encoded, so the message stays one command. */
export const commandData = (text: string) =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A workflow command's property value: as data, and `:` and `,` too (they end a property). */
export const commandProperty = (text: string) => commandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** The Markdown report cut to `max` bytes at a line's end, saying so. */
export function boundedSummary(markdown: string, max = MAX_STEP_SUMMARY_BYTES): string {
  const bytes = Buffer.from(markdown);
  if (bytes.length <= max) return markdown;
  const note = `\n_The summary is cut at ${max} bytes: the whole report is in --output, or --reporter markdown._\n`;
  const kept = bytes.subarray(0, max - Buffer.byteLength(note)).toString();
  // A character cut in two decodes as U+FFFD: drop the partial line it is on.
  return kept.slice(0, kept.lastIndexOf('\n') + 1) + note;
}

/**
 * One workflow command for a check that found something: `::error` when it failed or could not run, else
 * `::warning` (a finding that fails nothing); its name, what it checks, its first findings, each line printable.
 */
export function annotation(check: CheckResult): string {
  const findings = check.evidence
    .slice(0, ANNOTATION_FINDINGS)
    .map(
      (e) =>
        `${e.operation ? `${e.operation}: ` : ''}${e.request} → ${e.status ?? 'no response'}: ${e.problem}`,
    );
  const more = check.evidence.length - findings.length;
  const lines = [check.title, ...findings, ...(more > 0 ? [`and ${more} more in the report`] : [])].map(
    printable,
  );
  const title = `bindings-contract verify: ${check.name}${check.status === 'error' ? ' could not run' : ''}`;
  const command = check.status === 'fail' || check.status === 'error' ? 'error' : 'warning';
  return `::${command} title=${commandProperty(printable(title))}::${commandData(lines.join('\n'))}\n`;
}

/**
 * In a GitHub Actions job: the summary appended to $GITHUB_STEP_SUMMARY, and an annotation per failing
 * check, on stdout when stdout is the text report (else on stderr, which the runner reads as well, so that
 * a JSON, JUnit or Markdown report on stdout stays whole). Outside a job, nothing.
 */
export async function toGitHub(
  report: Report,
  { env, io, stdoutIsText }: { env: NodeJS.ProcessEnv; io: Io; stdoutIsText: boolean },
): Promise<void> {
  const summary = env.GITHUB_STEP_SUMMARY;
  if (!summary) return;
  const out = stdoutIsText ? io.stdout : io.stderr;
  for (const check of report.checks)
    if (check.status !== 'pass' && check.status !== 'skip') out(annotation(check));
  await appendFile(summary, boundedSummary(markdownReport(report))).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException)?.code ?? 'EIO';
    throw new WriteError(`GITHUB_STEP_SUMMARY ${quoted(summary)} could not be written (${code})`, code);
  });
}
