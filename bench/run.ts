// npm run bench: installs bench/ when needed, then measures this package against twilio-node 6 and
// bare fetch, and writes the tables to stdout and bench/RESULTS.md. Every ratio compares figures
// measured in this same run.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';

const here = import.meta.dirname;
const root = join(here, '..');
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

// Imported only now: they need bench/node_modules and dist/.
const { loopback } = await import('./loopback.ts');
const { overhead } = await import('./overhead.ts');
const { bundles } = await import('./bundle.ts');
const { coldStart, typeCheck } = await import('./processes.ts');
const { footprint } = await import('./footprint.ts');
const { fmt, ratio, spread } = await import('./stats.ts');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

async function startTarget(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'server.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}`, child };
}

const log = (text: string) => process.stderr.write(`${text}\n`);
const lines: string[] = [];
const out = (text = '') => lines.push(text);
const x = (value: number) => `${value.toFixed(2)}×`;

log('1/6 loopback…');
const target = await startTarget();
const wire = await loopback(target.url, ROUNDS);
target.child.kill('SIGTERM');
log('2/6 in-memory overhead…');
const cpu = await overhead(ROUNDS);
log('3/6 bundles…');
const sizes = await bundles();
log('4/6 cold start…');
const cold = await coldStart(ROUNDS);
log('5/6 type-check…');
const types = await typeCheck(Math.max(3, Math.round(ROUNDS / 3)));
log('6/6 install footprint…');
const installs = footprint();

const ours = 'fetchBinding (validation on)';
const bare = 'bare fetch + res.json()';
const sdk = 'twilio-node 6';
const pkg = 'conversations-bindings-contract';

out('# Benchmark results');
out();
out(
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Linux ${release()}, Node ${process.version}.`,
);
out(
  `Medians over ${ROUNDS} interleaved rounds after a warm-up round (IQR in brackets); every ratio compares figures from this same run.`,
);
out();
for (const [title, table] of [
  ['1. Per request over loopback, sequential (200 requests a round)', wire.sequential],
  ['1. Per request over loopback, 50 in flight (1,000 requests a round)', wire.inFlight],
] as const) {
  out(`## ${title}`);
  out();
  out('| client | per request | vs bare fetch | twilio-node vs it |');
  out('| --- | --- | --- | --- |');
  for (const [name, s] of Object.entries(table)) {
    out(
      `| ${name} | ${spread(s, 'µs')} | ${x(ratio(s, table[bare] ?? s))} | ${x(ratio(table[sdk] ?? s, s))} |`,
    );
  }
  out();
}
out('## 2. CPU per call, in-memory fetch (no socket; 2,000 calls a round)');
out();
out('| call | per call | vs the stub called bare |');
out('| --- | --- | --- |');
for (const [name, s] of Object.entries(cpu))
  out(`| ${name} | ${spread(s, 'µs', 2)} | ${x(ratio(s, cpu['the stub called bare'] ?? s))} |`);
out();
out(
  '## 3. Bundle of a "fetch one binding" program (esbuild, minified; ours for the browser, twilio-node for Node)',
);
out();
out('| package | minified | gzip | twilio-node vs it (gzip) |');
out('| --- | --- | --- | --- |');
for (const [name, s] of Object.entries(sizes))
  out(
    `| ${name} | ${fmt(s.minified / 1024, 'KB')} | ${fmt(s.gzip / 1024, 'KB')} | ${x((sizes[sdk]?.gzip ?? 0) / s.gzip)} |`,
  );
out();
out('## 4. Cold start: a process that imports the package and creates a client');
out();
out('| process | wall time | vs twilio-node |');
out('| --- | --- | --- |');
for (const [name, s] of Object.entries(cold))
  out(`| ${name} | ${spread(s, 'ms')} | ${x(ratio(s, cold[sdk] ?? s))} |`);
out();
out('## 5. Consumer type-check: `tsc --noEmit` of a one-file consumer (strict, nodenext, skipLibCheck)');
out();
out('| consumer of | tsc time | vs twilio-node |');
out('| --- | --- | --- |');
for (const [name, s] of Object.entries(types))
  out(`| ${name} | ${spread(s, 'ms', 0)} | ${x(ratio(s, types[sdk] ?? s))} |`);
out();
out('## 6. Install footprint');
out();
out('| package | packed tarball | unpacked | packages a consumer installs | node_modules on disk |');
out('| --- | --- | --- | --- | --- |');
for (const [name, s] of Object.entries(installs)) {
  out(
    `| ${name} | ${fmt(s.tarball / 1024, 'KB')} | ${fmt(s.unpacked / 1024, 'KB')} | ${s.packages} | ${fmt(s.nodeModules / 1024 / 1024, 'MB', 2)} |`,
  );
}
out();

const w = (name: string) => wire.sequential[name];
const target1 = ratio(w(ours) ?? ({} as never), w(bare) ?? ({} as never));
const target2 = ratio(w(sdk) ?? ({} as never), w(ours) ?? ({} as never));
const target3 = ratio(cpu[ours] ?? ({} as never), cpu['the stub called bare'] ?? ({} as never));
const ourGzip = sizes[pkg]?.gzip ?? 0;
const target4 = (sizes[sdk]?.gzip ?? 0) / ourGzip;
const target5 = ratio(cold[pkg] ?? ({} as never), cold[sdk] ?? ({} as never));
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
out('## Targets');
out();
out('| target | measured | verdict |');
out('| --- | --- | --- |');
out(`| per request (sequential) ≤ 1.10× bare fetch | ${x(target1)} | ${verdict(target1 <= 1.1)} |`);
out(`| per request (sequential): twilio-node ≥ 1.4× ours | ${x(target2)} | ${verdict(target2 >= 1.4)} |`);
out(
  `| in-memory: fetchBinding with validation ≤ 2× the bare stub | ${x(target3)} | ${verdict(target3 <= 2)} |`,
);
out(`| bundle ≤ 8 KB gzip | ${fmt(ourGzip / 1024, 'KB')} | ${verdict(ourGzip <= 8192)} |`);
out(`| bundle ≥ 50× smaller than twilio-node | ${x(target4)} | ${verdict(target4 >= 50)} |`);
out(`| cold start ≤ 0.6× twilio-node | ${x(target5)} | ${verdict(target5 <= 0.6)} |`);
out();

const report = lines.join('\n');
writeFileSync(join(here, 'RESULTS.md'), report);
process.stdout.write(report);
