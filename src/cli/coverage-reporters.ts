// Renders a contract coverage report: text for people, JSON for tools, JUnit XML for CI dashboards (each
// gate a test case, red only when it fails; an item never exercised is a skipped case saying so), and one
// self-contained HTML page (no script, no request).
import { type CoverageReport, percent, type Tally } from './coverage-report.js';
import { xml } from './reporters.js';

/** A gate asked for (`--min 90`, `--baseline`…), how it went in words, and what fails it (none: it passed). */
export interface Gate {
  gate: string;
  said: string;
  failures: string[];
}

const share = (t: Tally) => `${t.covered}/${t.total} (${percent(t).toFixed(1)}%)`;
const failuresOf = (gates: Gate[]) => gates.flatMap((g) => g.failures);

/** What was measured, each version said for what it is: the contract's own, and the package's that measured. */
function heading(report: CoverageReport): string {
  const { contract, package: by, operations } = report;
  const only = operations ? `, operations ${operations.join(', ')}` : '';
  return `${contract.title}, contract version ${contract.version}${only} (measured by ${by.name} ${by.version})`;
}

export function coverageText(report: CoverageReport, gates: Gate[] = []): string {
  const lines = [`bindings-contract coverage: ${heading(report)}, from ${report.sources}`, ''];
  for (const { scope, tally, items } of report.scopes) {
    lines.push(`${scope}: ${share(tally)}`);
    for (const item of items)
      if (!item.covered)
        lines.push(item.reason ? `  ○ ${item.id} (known gap: ${item.reason})` : `  ✗ ${item.id}`);
  }
  lines.push('', 'By dimension:');
  for (const [dimension, tally] of Object.entries(report.byDimension))
    if (tally.total) lines.push(`  ${dimension.padEnd(16)}${share(tally)}`);
  lines.push('', `Covered ${share(report.overall)} of the contract's documented outcomes`);
  for (const failure of failuresOf(gates)) lines.push(`✗ ${failure}`);
  return `${lines.join('\n')}\n`;
}

export const coverageJson = (report: CoverageReport, gates: Gate[] = []) =>
  `${JSON.stringify({ ...report, gates: failuresOf(gates) }, null, 2)}\n`;

const testcase = (suite: string, name: string, inside = '') =>
  `    <testcase classname="bindings-contract.coverage.${xml(suite)}" name="${xml(name)}">${inside}</testcase>`;

const suite = (name: string, counts: { tests: number; failures: number; skipped: number }, cases: string[]) =>
  [
    `  <testsuite name="${xml(name)}" tests="${counts.tests}" failures="${counts.failures}" skipped="${counts.skipped}">`,
    ...cases,
    '  </testsuite>',
  ].join('\n');

/**
 * JUnit: a passing gate is a passing test case, a failing one a failure saying why and what is missing; an
 * item never exercised is skipped (what CI shows as not run), a known gap skipped with its reason. So a run
 * that passes its gates is green, whatever it left uncovered.
 */
export function coverageJunit(report: CoverageReport, gates: Gate[] = []): string {
  const missing = report.scopes.flatMap((s) =>
    s.items.filter((i) => !i.covered && !i.reason).map((i) => i.id),
  );
  const failed = gates.filter((g) => g.failures.length);
  const gateCases = gates.map((g) => {
    if (!g.failures.length) return testcase('gates', g.gate, `<system-out>${xml(g.said)}</system-out>`);
    const body = [...g.failures, ...(missing.length ? [`never exercised: ${missing.join(', ')}`] : [])];
    return testcase(
      'gates',
      g.gate,
      // Each line escaped, then joined: the escaper makes a line break within one text visible (`\u000a`).
      `<failure message="${xml(g.failures[0] ?? '')}">${body.map(xml).join('\n')}</failure>`,
    );
  });
  const suites = report.scopes.map(({ scope, items }) => {
    const cases = items.map((i) => {
      if (i.covered) return testcase(scope, i.id);
      const why = i.reason ? `known gap: ${i.reason}` : `never exercised (${i.dimension})`;
      return testcase(scope, i.id, `<skipped message="${xml(why)}"/>`);
    });
    const skipped = items.filter((i) => !i.covered).length;
    return suite(scope, { tests: items.length, failures: 0, skipped }, cases);
  });
  const items = report.scopes.flatMap((s) => s.items);
  const skipped = items.filter((i) => !i.covered).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`bindings-contract coverage: ${heading(report)}`)}" tests="${items.length + gates.length}" failures="${failed.length}" skipped="${skipped}">`,
    ...(gates.length
      ? [suite('gates', { tests: gates.length, failures: failed.length, skipped: 0 }, gateCases)]
      : []),
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** One page a person reads at a glance: a table per operation and schema, covered in green, missing in red. */
export function coverageHtml(report: CoverageReport, gates: Gate[] = []): string {
  const tables = report.scopes.map(({ scope, tally, items }) => {
    const rows = items.map((i) => {
      const state = i.covered ? 'covered' : i.reason ? 'gap' : 'missing';
      const mark = i.covered ? '✓ covered' : i.reason ? `○ known gap: ${xml(i.reason)}` : '✗ never exercised';
      return `<tr class="${state}"><td>${xml(i.id)}</td><td>${i.dimension}</td><td>${mark}</td></tr>`;
    });
    return `<section><h2>${xml(scope)} <small>${share(tally)}</small></h2><table><thead><tr><th>outcome</th><th>dimension</th><th>state</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
  });
  const dims = Object.entries(report.byDimension)
    .filter(([, t]) => t.total)
    .map(([d, t]) => `<tr><td>${d}</td><td>${share(t)}</td></tr>`)
    .join('');
  const failures = failuresOf(gates);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Contract coverage: ${xml(report.contract.title)}, contract version ${xml(report.contract.version)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1b1b}h1{font-size:1.4rem}h2{font-size:1.1rem;margin:1.5rem 0 .4rem}
small{font-weight:normal;color:#555}table{border-collapse:collapse;min-width:40rem}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
tr.covered td{background:#e3f6e3;color:#145214}tr.missing td{background:#fde2e2;color:#8a1010;font-weight:600}tr.gap td{background:#f3f3f3;color:#555}
.gates{color:#8a1010;font-weight:600}
</style></head><body>
<h1>Contract coverage: ${xml(report.contract.title)}, contract version ${xml(report.contract.version)}</h1>
<p>${xml(heading(report))}, from ${xml(report.sources)}. Covered <strong id="overall">${share(report.overall)}</strong> of the contract's documented outcomes.</p>
${failures.length ? `<ul class="gates">${failures.map((g) => `<li>${xml(g)}</li>`).join('')}</ul>` : ''}
<table><thead><tr><th>dimension</th><th>covered</th></tr></thead><tbody>${dims}</tbody></table>
${tables.join('\n')}
</body></html>
`;
}

export const coverageReporters = {
  text: coverageText,
  json: coverageJson,
  junit: coverageJunit,
  html: coverageHtml,
};
