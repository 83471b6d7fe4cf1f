// Renders a contract coverage report: text for people, JSON for tools, JUnit XML for CI dashboards (an
// item never exercised is a failed test case), and one self-contained HTML page (no script, no request).
import { type CoverageReport, percent, type Tally } from './coverage-report.js';

const share = (t: Tally) => `${t.covered}/${t.total} (${percent(t).toFixed(1)}%)`;

export function coverageText(report: CoverageReport, gates: string[] = []): string {
  const lines = [
    `bindings-contract coverage: ${report.contract.title} ${report.contract.version}, from ${report.sources}`,
    '',
  ];
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
  for (const gate of gates) lines.push(`✗ ${gate}`);
  return `${lines.join('\n')}\n`;
}

export const coverageJson = (report: CoverageReport, gates: string[] = []) =>
  `${JSON.stringify({ ...report, gates }, null, 2)}\n`;

const xml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);

export function coverageJunit(report: CoverageReport): string {
  const suites = report.scopes.map(({ scope, items }) => {
    const failures = items.filter((i) => !i.covered && !i.reason).length;
    const skipped = items.filter((i) => i.reason).length;
    const cases = items.map((i) => {
      const open = `    <testcase classname="bindings-contract.coverage.${xml(scope)}" name="${xml(i.id)}">`;
      if (i.covered) return `${open}</testcase>`;
      if (i.reason) return `${open}<skipped message="${xml(`known gap: ${i.reason}`)}"/></testcase>`;
      return `${open}<failure message="never exercised">${xml(i.id)} (${i.dimension})</failure></testcase>`;
    });
    return [
      `  <testsuite name="${xml(scope)}" tests="${items.length}" failures="${failures}" skipped="${skipped}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const failures = report.scopes.flatMap((s) => s.items).filter((i) => !i.covered && !i.reason).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bindings-contract coverage" tests="${report.scopes.flatMap((s) => s.items).length}" failures="${failures}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

const html = (text: string) =>
  text.replace(/[<>&"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot' }[c]};`);

/** One page a person reads at a glance: a table per operation and schema, covered in green, missing in red. */
export function coverageHtml(report: CoverageReport, gates: string[] = []): string {
  const tables = report.scopes.map(({ scope, tally, items }) => {
    const rows = items.map((i) => {
      const state = i.covered ? 'covered' : i.reason ? 'gap' : 'missing';
      const mark = i.covered
        ? '✓ covered'
        : i.reason
          ? `○ known gap: ${html(i.reason)}`
          : '✗ never exercised';
      return `<tr class="${state}"><td>${html(i.id)}</td><td>${i.dimension}</td><td>${mark}</td></tr>`;
    });
    return `<section><h2>${html(scope)} <small>${share(tally)}</small></h2><table><thead><tr><th>outcome</th><th>dimension</th><th>state</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
  });
  const dims = Object.entries(report.byDimension)
    .filter(([, t]) => t.total)
    .map(([d, t]) => `<tr><td>${d}</td><td>${share(t)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Contract coverage: ${html(report.contract.title)} ${html(report.contract.version)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1b1b}h1{font-size:1.4rem}h2{font-size:1.1rem;margin:1.5rem 0 .4rem}
small{font-weight:normal;color:#555}table{border-collapse:collapse;min-width:40rem}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
tr.covered td{background:#e3f6e3;color:#145214}tr.missing td{background:#fde2e2;color:#8a1010;font-weight:600}tr.gap td{background:#f3f3f3;color:#555}
.gates{color:#8a1010;font-weight:600}
</style></head><body>
<h1>Contract coverage: ${html(report.contract.title)} ${html(report.contract.version)}</h1>
<p>From ${html(report.sources)}. Covered <strong id="overall">${share(report.overall)}</strong> of the contract's documented outcomes.</p>
${gates.length ? `<ul class="gates">${gates.map((g) => `<li>${html(g)}</li>`).join('')}</ul>` : ''}
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
