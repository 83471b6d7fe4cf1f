// Classifies the changes between bundled contracts with `redocly diff` (diff-recommended rules),
// many pairs per Redocly process.
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './paths.ts';

const execFileAsync = promisify(execFile);

export type Impact = 'major' | 'minor' | 'patch';
/** One change as `redocly diff --format json` reports it, with the rules' verdicts on it. */
export interface DiffChange {
  path: string;
  kind: string;
  impact: Impact;
  verdicts: { impact: Impact; message: string }[];
}
export interface ContractDiff {
  bump: Impact | 'none';
  changes: { impact: Impact; message: string }[];
  raw: DiffChange[];
}
type Contract = Record<string, unknown>;

/** Release bookkeeping is not part of the contract: leave it out of the comparison. */
const contractOnly = ({ 'x-released-version': _, 'x-generated': __, ...doc }: Contract) => doc;

const redoclyCli = join(root, 'node_modules/@redocly/cli');
/** The module bin/cli.js imports: the whole CLI, which runs the command in process.argv when evaluated. */
const redoclyEntry = join(redoclyCli, 'lib/index.js');

/**
 * Runs `redocly <args>` once per argument list in this one Node process, so the CLI loads once (a spawn
 * per diff costs ~0.6 s, a run here ~0.08 s). Each run evaluates the entry again (a new query string;
 * its chunks stay loaded) and ends when the event loop goes idle: the CLI's exit (process.exit, or its
 * beforeExit hook) is recorded, not obeyed. Plain JS: a TypeScript loader would cost what it saves.
 */
const manyRunsInOneProcess = `
import { pathToFileURL } from 'node:url';
const [entry, runsJson] = process.argv.slice(1);
const { exit, once } = process;
let current;
process.exit = (code) => { current.code ??= code ?? process.exitCode ?? 0; };
process.once = function (event, listener) {
  if (event !== 'beforeExit') return once.call(this, event, listener);
  current.onIdle.push(listener);
  return this;
};
const failures = [];
for (const [i, args] of JSON.parse(runsJson).entries()) {
  current = { code: undefined, onIdle: [] };
  process.argv = [process.execPath, entry, ...args];
  const idle = new Promise((resolve) => once.call(process, 'beforeExit', resolve));
  import(pathToFileURL(entry).href + '?run=' + i).catch((error) => {
    console.error(error);
    current.code ??= 1;
  });
  await idle;
  for (const listener of current.onIdle) listener();
  const code = current.code ?? process.exitCode ?? 0;
  process.exitCode = undefined;
  if (code !== 0) failures.push('redocly ' + args.join(' ') + ' exited with ' + code);
}
if (failures.length) console.error(failures.join('\\n'));
exit(failures.length ? 1 : 0);
`;

async function runRedocly(runs: string[][], cwd: string): Promise<void> {
  await access(redoclyEntry).catch(async () => {
    const manifest = await readFile(join(redoclyCli, 'package.json'), 'utf8').catch(() => '{}');
    const installed = (JSON.parse(manifest) as { version?: string }).version ?? 'not installed';
    throw new Error(
      `Redocly's CLI entry ${redoclyEntry} is missing ` +
        `(@redocly/cli ${installed} installed; written for 2.77.0). ` +
        'scripts/contract-diff.ts runs it in process: point redoclyEntry at the module bin/cli.js imports.',
    );
  });
  const args = ['--input-type=module', '-e', manyRunsInOneProcess, redoclyEntry, JSON.stringify(runs)];
  // A run takes ~0.1 s: the timeout only catches a run that never ends.
  const timeoutMs = 20_000 + 2_000 * runs.length;
  await execFileAsync(process.execPath, args, {
    cwd,
    env: {
      ...process.env,
      REDOCLY_TELEMETRY: 'off',
      DO_NOT_TRACK: '1',
      REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    },
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutMs,
  }).catch((error: { stderr?: string; killed?: boolean }) => {
    // Redocly prints a Node 20 deprecation box on every run: keep only what says what went wrong.
    const box = /^\s*[╔║╚]/;
    const said = (error.stderr ?? '').split('\n').filter((line) => line.trim() && !box.test(line));
    const what = error.killed ? `did not finish within ${timeoutMs / 1000} s` : 'failed';
    throw new Error(`redocly diff ${what} for a batch of ${runs.length}:\n${said.join('\n')}`);
  });
}

/** Classifies each pair's changes, paying Redocly's startup once; a pair it cannot diff fails the batch. */
export async function diffContractsMany(
  pairs: [base: Contract, revision: Contract][],
): Promise<ContractDiff[]> {
  if (!pairs.length) return [];
  const dir = await mkdtemp(join(tmpdir(), 'bindings-diff-'));
  try {
    const config = join(root, 'redocly-diff.yaml');
    const runs = await Promise.all(
      pairs.map(async ([base, revision], i) => {
        await writeFile(join(dir, `${i}-base.json`), JSON.stringify(contractOnly(base)));
        await writeFile(join(dir, `${i}-revision.json`), JSON.stringify(contractOnly(revision)));
        return [
          ...['diff', `${i}-base.json`, `${i}-revision.json`, '--config', config],
          ...['--format', 'json', '--output', `${i}-report.json`, '--fail-on', 'none'],
        ];
      }),
    );
    await runRedocly(runs, dir);
    return await Promise.all(
      pairs.map(async (_, i) => {
        const report = await readFile(join(dir, `${i}-report.json`), 'utf8').catch(() => {
          // The runner's guard: a run that did nothing (the entry no longer re-runs when imported again?).
          throw new Error(
            `redocly diff exited cleanly but wrote no report for pair ${i + 1} of ${pairs.length}.`,
          );
        });
        return toContractDiff(JSON.parse(report), i);
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function diffContracts(base: Contract, revision: Contract): Promise<ContractDiff> {
  const [diff] = await diffContractsMany([[base, revision]]);
  return diff as ContractDiff;
}

interface DiffReport {
  reportVersion: string;
  bump?: Impact | 'none';
  changes: DiffChange[];
}

function toContractDiff(report: DiffReport, index: number): ContractDiff {
  if (report.reportVersion !== '1') {
    throw new Error(
      `redocly diff's report for pair ${index + 1} has reportVersion ${report.reportVersion}; expected 1.`,
    );
  }
  const raw = report.changes.map(({ path, kind, impact, verdicts }) => ({
    path,
    kind,
    impact,
    verdicts: verdicts.map(({ impact, message }) => ({ impact, message })),
  }));
  return {
    bump: report.bump ?? 'none',
    // A change without a rule's verdict (an addition, say) is described by its kind and location.
    changes: raw.flatMap((c) =>
      c.verdicts.length
        ? c.verdicts.map((verdict) => ({ ...verdict }))
        : [
            {
              impact: c.impact,
              message: `${c.kind}: ${decodeURIComponent(c.path.replace(/~1/g, '/').replace(/~0/g, '~'))}`,
            },
          ],
    ),
    raw,
  };
}
