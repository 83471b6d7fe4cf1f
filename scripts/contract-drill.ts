import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentialsDrill } from './drill-credentials.ts';
import { reorderDrill } from './drill-reorder.ts';
import { run, scratchCopy } from './scratch-copy.ts';

export interface Change {
  /** What the provider did, as the report says it. */
  name: string;
  /** Every file the change edits (one fact the contract shows in several places changes in each). */
  files: string[];
  from: string;
  to: string;
  /** Text a failure message must contain to name this change. */
  named: string;
}

export const changes: Change[] = [
  {
    name: 'a value added to BindingType (a response enum widened)',
    files: ['openapi/components/schemas/BindingType.yaml'],
    from: '  - fcm\n',
    to: '  - fcm\n  - drillsock\n',
    named: 'drillsock',
  },
  {
    name: 'the Binding SID pattern tightened (upper-case hex refused)',
    files: ['openapi/components/schemas/BindingSid.yaml'],
    from: 'pattern: ^BS[0-9a-fA-F]{32}$',
    to: 'pattern: ^BS[0-9a-f]{32}$',
    named: '^BS[0-9a-f]{32}$',
  },
  {
    // The list example repeats the published example's binding; a provider that edits the binding edits
    // it wherever it is shown (test/spec/examples.test.ts holds the examples to that).
    name: "the 200 example's identity changed (and the list example showing the same binding)",
    files: ['openapi/openapi.yaml', 'openapi/components/examples/ListFull.yaml'],
    from: 'identity: TestUser\n',
    to: 'identity: DrillUser\n',
    named: 'DrillUser',
  },
];

/** The whole suite on the changed contract: several times what it takes from a fresh clone, never forever. */
const SUITE_BOUND_MS = 10 * 60_000;

interface Failure {
  file: string;
  test: string;
  message: string;
}

async function apply(dir: string, change: Change): Promise<void> {
  for (const file of change.files) {
    const path = join(dir, file);
    const text = await readFile(path, 'utf8');
    if (!text.includes(change.from))
      throw new Error(
        `The drill cannot apply "${change.name}": ${file} no longer has ${JSON.stringify(change.from)}`,
      );
    await writeFile(path, text.replaceAll(change.from, change.to));
  }
}

/** Every failed test of a Vitest JSON report, type errors included. */
function failures(report: {
  testResults: {
    name: string;
    status?: string;
    message?: string;
    assertionResults: { status: string; fullName: string; failureMessages: string[] }[];
  }[];
}): Failure[] {
  return report.testResults.flatMap((file) => {
    const failed = file.assertionResults
      .filter((t) => t.status === 'failed')
      .map((t) => ({ file: file.name, test: t.fullName, message: t.failureMessages.join('\n') }));
    // A file that failed as a whole (a type error, a crash in a hook) has no failed test: Vitest gives it a
    // message, or (a hook that threw) none, its tests skipped.
    if (failed.length || (file.status !== 'failed' && !file.message)) return failed;
    const message =
      file.message || 'a hook failed, and the tests under it were skipped (its error is in the run output)';
    return [{ file: file.name, test: '(the file)', message }];
  });
}

export interface DrillResult {
  ok: boolean;
  lines: string[];
}

export async function drill(): Promise<DrillResult> {
  const scratch = await scratchCopy();
  try {
    for (const change of changes) await apply(scratch.dir, change);
    const generated = await run('npx', ['tsx', 'scripts/generate.ts'], scratch.dir);
    if (generated.status !== 0) return { ok: false, lines: ['npm run generate failed:', generated.stderr] };
    // Both suites: npm test's, and the process tests' (npm run test:processes).
    const reports: (Parameters<typeof failures>[0] & { numTotalTests: number })[] = [];
    const outputs: string[] = [];
    for (const [name, config] of [
      ['npm test', []],
      ['npm run test:processes', ['--config', 'vitest.processes.config.ts']],
    ] as const) {
      const reportPath = join(scratch.dir, `drill-report-${reports.length}.json`);
      const tested = await run(
        'npx',
        // JSON for the drill, and the default reporter's account of what broke (a hook's error is only there).
        [
          'vitest',
          'run',
          ...config,
          '--reporter=json',
          '--reporter=default',
          `--outputFile.json=${reportPath}`,
        ],
        scratch.dir,
        SUITE_BOUND_MS,
      );
      const report = await readFile(reportPath, 'utf8').then(JSON.parse, () => null);
      if (!report)
        return {
          ok: false,
          lines: [`${name} wrote no report:`, `${tested.stdout}\n${tested.stderr}`.trim().slice(-4000)],
        };
      // A suite that ran nothing (its global setup failed), or failed with no failing test (an unhandled
      // error), judged nothing: never a clean suite.
      if (report.numTotalTests === 0 || (tested.status !== 0 && failures(report).length === 0))
        return {
          ok: false,
          lines: [
            `${name} ran ${report.numTotalTests} tests and exited ${tested.status} with no failing test:`,
            `${tested.stdout}\n${tested.stderr}`.trim().slice(-4000),
          ],
        };
      reports.push(report);
      outputs.push(`${tested.stdout}\n${tested.stderr}`.trim().slice(-4000));
    }
    const gate = await run('npx', ['tsx', 'scripts/check-breaking.ts'], scratch.dir);
    const found: Failure[] = [
      ...reports
        .flatMap((report, i) =>
          // A file that failed as a whole: what the run printed says why.
          failures(report).map((f) =>
            f.test === '(the file)' ? { ...f, message: `${f.message}\n${outputs[i]}` } : f,
          ),
        )
        .map((f) => ({ ...f, file: f.file.slice(scratch.dir.length + 1) })),
      ...(gate.status === 0
        ? []
        : [{ file: 'npm run check:breaking', test: 'the breaking gate', message: gate.stderr }]),
    ];
    const golden = (f: Failure) => f.file.startsWith('test/golden/') || f.file === 'npm run check:breaking';
    const lines = [`Applied: ${changes.map((c) => c.name).join('; ')}.`];
    const stray = found.filter((f) => !golden(f));
    for (const f of stray)
      lines.push(`✗ not a golden test, but failed: ${f.file} > ${f.test}\n${f.message.slice(0, 2000)}`);
    const silent = found.filter((f) => golden(f) && !changes.some((c) => f.message.includes(c.named)));
    for (const f of silent)
      lines.push(
        `✗ a golden failure that names no change: ${f.file} > ${f.test}\n${f.message.slice(0, 2000)}`,
      );
    for (const change of changes) {
      const by = found.filter((f) => golden(f) && f.message.includes(change.named));
      lines.push(
        by.length
          ? `✓ ${change.name}: named by ${by.map((f) => `${f.file} > ${f.test}`).join('; ')}`
          : `✗ ${change.name}: no golden test noticed it`,
      );
    }
    const ok =
      !stray.length &&
      !silent.length &&
      changes.every((c) => found.some((f) => golden(f) && f.message.includes(c.named)));
    lines.push(ok ? 'Only golden tests failed, and each named its change.' : 'The drill failed.');
    return { ok, lines };
  } finally {
    await scratch.done();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const parts: [string, () => Promise<DrillResult>][] = [
    ['Change the contract as a provider would', drill],
    ["Reverse the contract's paths", reorderDrill],
    ['Add a second resource family (the push credentials)', credentialsDrill],
  ];
  let ok = true;
  for (const [name, part] of parts) {
    process.stderr.write(`${name}\n`);
    const result = await part();
    ok &&= result.ok;
    (result.ok ? console.log : console.error)(result.lines.join('\n'));
  }
  // Exit now: a handle a step's module left open (a timer, a worker) must not keep CI waiting.
  process.exit(ok ? 0 : 1);
}
