// action.yml: its steps run as a runner runs a composite action (each step's `${{ }}` resolved, its own
// GITHUB_OUTPUT, one GITHUB_STEP_SUMMARY), the install step replaced by the local command line, against the
// embedded stateful mock; what it wrote is checked: the summary, the outputs, the files they name.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { operationFacts } from '../../generated/contract.js';
import { CLI_BUNDLE } from '../support/cli-process.ts';

const root = resolve(import.meta.dirname, '../..');

interface Step {
  id: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

/** `key=value` lines of a GITHUB_OUTPUT file (the action writes no multi-line value). */
const outputsOf = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

let dir: string;
let action: Action;
const run = { statuses: {} as Record<string, number>, outputs: {} as Record<string, string>, summary: '' };

/** Runs the action's steps in order, as a runner does, with the given inputs; the install step replaced. */
async function runAction(given: Record<string, string>, caller: Record<string, string> = {}) {
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [name, given[name] ?? input.default ?? '']),
  );
  const steps: Record<string, Record<string, string>> = {};
  const context = (expression: string) => {
    const [scope, name, key, value] = expression.trim().split('.') as string[];
    if (scope === 'inputs') return inputs[name as string] ?? '';
    if (scope === 'github' && name === 'action_path') return root;
    if (scope === 'steps' && key === 'outputs') return steps[name as string]?.[value as string] ?? '';
    throw new Error(`the simulated runner does not know \${{ ${expression} }}`);
  };
  const resolved = (text: string) => text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => context(e));
  // The package as installed: the command line of this working tree.
  const bin = join(dir, 'bindings-contract');
  await writeFile(bin, `#!/bin/sh\ncd '${root}' && exec '${process.execPath}' '${CLI_BUNDLE}' "$@"\n`);
  await chmod(bin, 0o755);
  const summary = join(dir, 'summary.md');
  for (const step of action.runs.steps) {
    const output = join(dir, `output-${step.id}`);
    await writeFile(output, '');
    if (step.id === 'install') {
      await writeFile(output, `bin=${bin}\n`);
    } else {
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, resolved(v)]));
      const script = join(dir, `step-${step.id}.sh`);
      await writeFile(script, step.run);
      const status = await promisify(execFile)('bash', ['-e', script], {
        env: {
          PATH: process.env.PATH,
          ...caller,
          HOME: dir,
          ...{ GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: dir, RUNNER_TEMP: dir },
          ...env,
        },
        cwd: dir,
      }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
      run.statuses[step.id] = status;
    }
    steps[step.id] = outputsOf(await readFile(output, 'utf8'));
  }
  run.outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([name, output]) => [name, resolved(output.value)]),
  );
  run.summary = await readFile(summary, 'utf8');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'action-'));
  action = parse(await readFile(join(root, 'action.yml'), 'utf8'));
  await runAction({ seed: '3' });
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('action.yml', () => {
  it('is a composite action whose steps each say their shell, and installs nothing but the package', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) expect(step.shell).toBe('bash');
    const install = action.runs.steps.find((s) => s.id === 'install')?.run ?? '';
    expect(install.match(/npm install[^\n]*/g)).toEqual([
      expect.stringMatching(/"conversations-bindings-contract@\$version"$/),
    ]);
    // No input reaches a script but through its environment (an input cannot inject shell).
    for (const step of action.runs.steps) expect(step.run).not.toContain('${{');
  });

  it('runs verify against the stateful mock: exit 0, the summary written, every output a file it wrote', async () => {
    expect(run.statuses).toEqual({ verify: 0, coverage: 0, verdict: 0 });
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.summary).toMatch(/^## `bindings-contract verify`: /);
    expect(run.summary).toContain('the embedded stateful fake');
    for (const op of Object.keys(operationFacts)) expect(run.summary).toContain(`| \`${op}\` |`);
    expect(run.summary).toContain('### Contract coverage');
    const junit = await readFile(run.outputs.report as string, 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    const har = JSON.parse(await readFile(run.outputs.har as string, 'utf8'));
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.length).toBeGreaterThan(10);
    const coverage = JSON.parse(await readFile(run.outputs.coverage as string, 'utf8'));
    expect(coverage.contract).toBeDefined();
    expect(await readFile(run.outputs['coverage-report'] as string, 'utf8')).toMatch(/^<!doctype html>/i);
    for (const file of [run.outputs.report, run.outputs.har, run.outputs.coverage])
      expect(file?.startsWith(join(dir, 'bindings-contract-reports'))).toBe(true);
  });

  it('a failing run fails its last step, after the reports and the summary are written', async () => {
    // The caller's step env carries the credentials; nothing listens on the port.
    const credentials = { BINDINGS_USERNAME: 'ci-user', BINDINGS_PASSWORD: 'a-password' };
    await runAction({ 'base-url': 'http://127.0.0.1:9', coverage: 'false', 'max-time': '5' }, credentials);
    expect(run.statuses.verify).toBe(0);
    expect(run.statuses.verdict).not.toBe(0);
    expect(['1', '3']).toContain(run.outputs['exit-code']);
    expect(run.summary.match(/^## `bindings-contract verify`: /gm)).toHaveLength(2);
  });
});
