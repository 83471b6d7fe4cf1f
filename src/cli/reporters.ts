// Renders a verify report: text for people, JSON for tools, JUnit XML for CI dashboards, Markdown for a
// pull-request comment or a CI job summary.
import { escapeControls } from '../client/quote.js';
import { type Evidence, notFoundLines, type Report, summaryLine, verdictLine } from './report.js';

export { summaryLine };

const MARK = { pass: '✓', fail: '✗', warn: '⚠', skip: '○', error: '!' } as const;

/** `\u001b` for a character that would act on a terminal or break a line: what a service sent is shown, never run. */
const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** A line of a report, every control character shown as an escape: the client's one rule for every message. */
export const printable = escapeControls;

/** A finding's request as a report line shows it: after the operation it was sent to, when it names one. */
const sentTo = (e: Evidence) => (e.operation ? `${e.operation}: ${e.request}` : e.request);

/** The operations, each with the checks run on it grouped by verdict (a skipped one with why). */
function operationLines(report: Report): string[] {
  if (!report.operations?.length) return [];
  const lines = ['', 'Operations, with the checks run on each:'];
  for (const op of report.operations) {
    const why =
      op.status === 'skip' || op.reason?.startsWith('never')
        ? `: ${op.status === 'skip' ? 'skipped: ' : ''}${op.reason}`
        : '';
    lines.push(`${MARK[op.status]} ${op.operation} (${op.method} ${op.path})${why}`);
    for (const status of ['pass', 'fail', 'error'] as const) {
      const names = op.checks.filter((c) => c.status === status).map((c) => c.name);
      if (names.length) lines.push(`    ${MARK[status]} ${names.join(', ')}`);
    }
    const skipped = op.checks.filter((c) => c.status === 'skip');
    for (const reason of new Set(skipped.map((c) => c.reason)))
      lines.push(
        `    ${MARK.skip} ${skipped
          .filter((c) => c.reason === reason)
          .map((c) => c.name)
          .join(', ')} (skipped: ${reason})`,
      );
  }
  return lines;
}

export function textReport(report: Report): string {
  const target = `${report.baseUrl}${report.target ? `, ${report.target}` : report.mock ? ', the embedded Prism mock' : ''}`;
  const lines = [`${report.tool}: ${target} (seed ${report.seed})`];
  const found = { named: 'named', listed: 'the first listed', example: "the contract's example" };
  if (report.instances?.length)
    lines.push(
      `Instances checked: ${report.instances.map((i) => `${i.resource} ${i.sid} (${found[i.found]})`).join(', ')}`,
    );
  lines.push('');
  for (const c of report.checks) {
    const detail =
      c.status === 'skip'
        ? ` (skipped: ${c.reason})`
        : c.status === 'fail'
          ? ` (${c.evidence.length} ${c.evidence.length === 1 ? 'problem' : 'problems'})`
          : c.status === 'error'
            ? ' (could not run: see below)'
            : c.status === 'warn'
              ? ` (${c.evidence.length} ${c.evidence.length === 1 ? 'finding' : 'findings'} failing nothing: see below)`
              : '';
    lines.push(`${MARK[c.status]} ${c.name}: ${c.title}${detail}`);
  }
  lines.push(...operationLines(report));
  const failed = report.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip');
  for (const c of failed) {
    lines.push('', `${MARK[c.status]} ${c.name}${c.severity === 'warning' ? ' (a warning check)' : ''}`);
    for (const e of c.evidence) {
      lines.push(`  ${sentTo(e)} → ${e.status ?? 'no response'}`, `    ${e.problem}`);
      const verdict = verdictLine(e, report.strict);
      if (verdict) lines.push(`    ${verdict}`);
      if (e.curl) lines.push(`    reproduce: ${e.curl}`);
      if (e.replay) lines.push(`    replay: ${e.replay}`);
    }
  }
  const notFound = notFoundLines(report);
  if (notFound.length) lines.push('', ...notFound);
  if (report.stopped) lines.push('', `Stopped: ${report.stopped}; the checks it had not finished say so.`);
  lines.push('', summaryLine(report));
  return `${lines.map(printable).join('\n')}\n`;
}

export function jsonReport(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** What XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF): shown as escapes. */
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
/**
 * Text in markup, the one rule of every report that is XML or HTML (verify's and coverage's): what XML cannot
 * hold and what would act on a terminal shown as `\uXXXX`, and the five markup characters as entities.
 */
export const xml = (text: string) =>
  printable(text.replace(NOT_XML, visible)).replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );

export function junitReport(report: Report): string {
  const { passed, failed, skipped, errored } = report.summary;
  const tests = passed + failed + skipped + errored;
  const cases = report.checks.map((c) => {
    const open = `    <testcase classname="bindings-contract.verify" name="${xml(c.name)}">`;
    if (c.status === 'pass') return `${open}</testcase>`;
    // A check that found only what fails nothing passes, its findings shown (a warning, a known finding).
    if (c.status === 'warn')
      return `${open}\n      <system-out>${c.evidence
        .flatMap((e) => [
          `${sentTo(e)} → ${e.status ?? 'no response'}: ${e.problem}`,
          verdictLine(e, report.strict),
        ])
        .filter((text): text is string => Boolean(text))
        .map(xml)
        .join('\n')}</system-out>\n    </testcase>`;
    if (c.status === 'skip')
      return `${open}\n      <skipped message="${xml(c.reason ?? '')}"/>\n    </testcase>`;
    const body = c.evidence
      .map((e) =>
        [
          `${sentTo(e)} → ${e.status ?? 'no response'}: ${e.problem}`,
          verdictLine(e, report.strict),
          e.curl && `reproduce: ${e.curl}`,
          e.replay && `replay: ${e.replay}`,
        ]
          .filter((text): text is string => Boolean(text))
          .map(xml)
          .join('\n'),
      )
      .join('\n');
    // JUnit's <error> is "the test could not run", <failure> "it ran and found a problem".
    const element = c.status === 'error' ? 'error' : 'failure';
    return `${open}\n      <${element} message="${xml(c.title)}">${body}</${element}>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(report.tool)}" tests="${tests}" failures="${failed}" errors="${errored}" skipped="${skipped}">`,
    `  <testsuite name="${xml(`${report.tool} ${report.baseUrl}`)}" tests="${tests}" failures="${failed}" errors="${errored}" skipped="${skipped}">`,
    `    <properties><property name="seed" value="${report.seed}"/>${report.target ? `<property name="target" value="${xml(report.target)}"/>` : ''}</properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * Text in Markdown, the one rule of the Markdown report: an inline code span (no markup, link, mention,
 * HTML or autolink is read inside one), its control characters shown as `\uXXXX` (so it holds no line
 * break), its fence longer than any run of backticks it holds, and `|` escaped (a table cell cannot split).
 */
export function code(text: string): string {
  const shown = printable(text.replace(NOT_XML, visible)).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown.trim() === '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

const VERDICTS: Record<string, string> = {
  pass: '✓ pass',
  fail: '✗ fail',
  warn: '⚠ warn',
  skip: '○ skip',
  error: '! error',
};
const verdict = (status: string) => VERDICTS[status] ?? status;

/** The operations, each check run on it and its verdict: a table. */
function operationTable(report: Report): string[] {
  if (!report.operations?.length) return [];
  const rows = report.operations.flatMap((op) =>
    op.checks.map(
      (c) =>
        `| ${code(op.operation)} | ${code(c.name)} | ${verdict(c.status)}${c.reason ? ` ${code(c.reason)}` : ''} |`,
    ),
  );
  return ['', '| operation | check | verdict |', '| --- | --- | --- |', ...rows];
}

/** Each check that found something (failed, warned) or could not run, with its evidence: an item per finding. */
function failureLines(report: Report): string[] {
  const lines: string[] = [];
  for (const c of report.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip')) {
    lines.push('', `### ${verdict(c.status)}: ${code(c.name)}`, '');
    for (const e of c.evidence) {
      lines.push(`- ${code(sentTo(e))} → ${e.status ?? 'no response'}: ${code(e.problem)}`);
      if (e.curl) lines.push(`  - reproduce: ${code(e.curl)}`);
      if (e.replay) lines.push(`  - replay: ${code(e.replay)}`);
    }
  }
  return lines;
}

/** Markdown: the tally, a table per check and per operation and check, then each failure's evidence. */
export function markdownReport(report: Report): string {
  const target = report.target ?? (report.mock ? 'the embedded Prism mock' : '');
  const checks = report.checks.map(
    (c) =>
      `| ${code(c.name)} | ${verdict(c.status)} | ${code(c.status === 'skip' ? (c.reason ?? '') : c.title)} |`,
  );
  const lines = [
    `## ${code(report.tool)}: ${code(report.baseUrl)}${target ? ` (${code(target)})` : ''}, seed ${report.seed}`,
    '',
    `**${summaryLine(report)}**`,
    ...(report.stopped ? ['', `Stopped: ${code(report.stopped)}`] : []),
    '',
    '| check | verdict | what it checks (or why it was skipped) |',
    '| --- | --- | --- |',
    ...checks,
    ...operationTable(report),
    ...failureLines(report),
  ];
  return `${lines.join('\n')}\n`;
}

export const reporters = {
  text: textReport,
  json: jsonReport,
  junit: junitReport,
  markdown: markdownReport,
};
