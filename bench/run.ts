// npm run bench: installs bench/ when needed, builds, then runs each section in turn, each in a Node
// process of its own (bench/section.ts), appending its tables to bench/RESULTS.md (and stdout) as soon as
// it is done; a section that fails leaves a one-line entry and the run goes on, exiting non-zero at the
// end. Every ratio compares figures measured in this same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';

const here = import.meta.dirname;
const root = join(here, '..');
const results = join(here, 'RESULTS.md');
const env = {
  ...process.env,
  SCARF_ANALYTICS: 'false',
  DO_NOT_TRACK: '1',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};
if (!existsSync(join(here, 'node_modules/twilio')))
  execFileSync('npm', ['ci'], { cwd: here, env, stdio: 'inherit' });
// Always rebuild: a stale dist/ would be measured instead of the code as it is.
execFileSync('npm', ['run', '-s', 'build'], { cwd: root, env, stdio: 'inherit' });
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
// The last release, built from git, for section 12 to measure beside this build.
const { buildRelease } = await import('./release-build.ts');
buildRelease(env);

// Imported only now: they need bench/node_modules and dist/.
const { SECTIONS } = await import('./sections.ts');
const { failedEntry, table } = await import('./report.ts');
type Verdict = import('./report.ts').Verdict;
type SectionResult = import('./report.ts').SectionResult;
const tsx = join(root, 'node_modules/.bin/tsx');
const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const began = Date.now();

const emit = (lines: string[]) => {
  const text = `${lines.join('\n')}\n\n`;
  appendFileSync(results, text);
  process.stdout.write(text);
};

writeFileSync(results, '');
emit([
  '# Benchmark results',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Linux ${release()}, Node ${process.version}.`,
  `Medians over ${ROUNDS} interleaved rounds after a warm-up round (IQR in brackets), fewer where a section says so; every ratio compares figures from this same run, and only the targets table at the end judges a figure against a bound. Each section runs in a Node process of its own, so what one leaves behind (its heap, code compiled for other contenders) does not tilt the next.`,
  '',
  "What is measured: (1) one fetch of a binding over loopback from a `node:http` target in its own process, wall time and the client process's CPU (`process.cpuUsage()`, user + system) around the same rounds; (2) the same calls against an in-memory stub fetch; (3) the bundle of a one-call program; (4) a process that imports the package and creates a client; (5) `tsc` of a one-file consumer; (6) what `npm pack` and a consumer's `npm install` hold; (7) listing 1,000 bindings page by page from the stateful fake over HTTP; (8) validating the contract's fetch example, and three ways to bound an attempt in time; (9) the stateful fake (in-process and over HTTP) and Prism as targets; (11) an MCP tool call against calling the client directly; (12) this build against the last release, built from git in the same run. twilio-node is pointed at the local targets through its own `httpClient` option (a `RequestClient` subclass that rewrites the host). The contract's facts (SIDs, paths, example bodies) come from `generated/` through `bench/contract.ts`.",
  '',
  'Reproduce: `npm ci && npm run bench` at the repository root (it installs `bench/` from its own lock, builds, type-checks `bench/`, then measures; the last line below says how long the measurements took). `BENCH_ROUNDS=3 npm run bench` for a quick run. Each section is appended here as soon as it finishes; a section that fails leaves a "failed" line and the run exits non-zero.',
]);

const verdicts: Verdict[] = [];
const failed: string[] = [];
/** Runs the section at `index` in a process of its own: its title, and its result or why it has none. */
function runApart(index: number): { title?: string; result?: SectionResult; error?: string } {
  const out = join(scratch, `${index}.json`);
  const child = spawnSync(tsx, [join(here, 'section.ts'), String(index), out], {
    env: { ...env, BENCH_ROUNDS: String(ROUNDS) },
    stdio: 'inherit',
  });
  if (existsSync(out)) return JSON.parse(readFileSync(out, 'utf8'));
  return { error: `its process ended with ${child.signal ?? `status ${child.status}`} and no result` };
}

for (const [index] of SECTIONS.entries()) {
  const started = Date.now();
  const number = index + 1;
  const { title = `(bench/${SECTIONS[index]?.module.slice(2)})`, result, error } = runApart(index);
  if (result) {
    emit(result.markdown);
    verdicts.push(...(result.verdicts ?? []));
  } else {
    failed.push(`${number}. ${title}`);
    emit(failedEntry({ number, title }, error));
  }
  process.stderr.write(`  ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

emit([
  '## Targets',
  '',
  ...table(
    ['target', 'measured', 'verdict'],
    verdicts.map((v) => [v.target, v.measured, v.met ? 'met' : '**missed**']),
  ),
  ...(failed.length
    ? ['', `Failed, so missing above with any target they judge: ${failed.join('; ')}.`]
    : []),
  '',
  `The sections took ${((Date.now() - began) / 60_000).toFixed(1)} minutes (the install, build and type-check before them not counted).`,
]);
rmSync(scratch, { recursive: true, force: true });
if (failed.length) process.exitCode = 1;
