// The command line explains itself and cleans up after itself: each command's help (flags and defaults
// from the table parseArgs reads, every check with what it proves and when it is skipped), --stateless
// against a mock started on its own, `mock -- COMMAND` that always stops the mock with the command's
// status, and `npm run cli` as the repository's way to run it.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { skippedWhen } from '../../src/cli/check.ts';
import { checks } from '../../src/cli/checks.ts';
import { main, Stopped } from '../../src/cli/main.ts';
import { MOCK_FLAGS } from '../../src/cli/mock-command.ts';
import type { PrismMock } from '../../src/cli/prism.ts';
import { VERIFY_FLAGS } from '../../src/cli/verify-command.ts';
import { listPath } from '../support/contract.ts';
import { prismReady } from '../support/prism.ts';

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  extra: Partial<Parameters<typeof main>[2]> = {},
) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    ...extra,
  });
  return { status, stdout, stderr };
}

describe('each command has its own help', () => {
  it('verify --help: every flag with its default, every check with what it proves and when it is skipped', async () => {
    const { status, stdout } = await cli(['verify', '--help']);
    expect(status).toBe(0);
    for (const [name, flag] of Object.entries(VERIFY_FLAGS)) {
      expect(stdout).toContain(`--${name}`);
      if ('default' in flag) expect(stdout).toContain(`(default ${flag.default})`);
    }
    for (const check of checks) {
      const line = stdout.split('\n').find((l) => l.trimStart().startsWith(`${check.name} `));
      expect(line, check.name).toContain(check.proves);
      const when = skippedWhen(check);
      if (when) expect(line).toContain(when);
    }
    expect(stdout).not.toContain('bindings-contract mock [');
  });

  it('mock --help: its own flags, and the command it can run', async () => {
    const { status, stdout } = await cli(['mock', '--help']);
    expect(status).toBe(0);
    for (const name of Object.keys(MOCK_FLAGS)) expect(stdout).toContain(`--${name}`);
    expect(stdout).toContain('-- COMMAND');
    expect(stdout).not.toContain('--delete-binding-sid');
  });

  it('the global help names both commands and points at their help', async () => {
    const { status, stdout } = await cli(['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/bindings-contract verify .*\n.*bindings-contract mock /);
    expect(stdout).toContain('<command> --help');
  });
});

describe('--stateless', () => {
  beforeAll(prismReady, 35_000);

  it('against a Prism started on its own (the suite’s): the stateful checks are skipped with the reason, the rest pass', async () => {
    const { status, stdout } = await cli(
      ['verify', '--base-url', inject('prismUrl'), '--stateless', '--seed', '2'],
      {
        BINDINGS_USERNAME: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        BINDINGS_PASSWORD: 'any-well-formed-password',
      },
    );
    const skipped = [...stdout.matchAll(/^○ (\w+): .*\(skipped: (.*)\)$/gm)];
    expect(skipped.filter((m) => m[2]?.startsWith('--stateless')).map((m) => m[1])).toEqual([
      'auth_wrong_credentials',
      'unknown_binding',
      'list_filters',
    ]);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed, \d+ skipped$/);
    expect(status).toBe(0);
  });

  it('is refused with an embedded mock (which is known to keep none)', async () => {
    const { status, stderr } = await cli(['verify', '--stateless']);
    expect(status).toBe(2);
    expect(stderr).toContain('--stateless describes a --base-url target');
  });
});

/** Whether something answers HTTP at this URL now. */
const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

describe('mock -- COMMAND', () => {
  it('--stateful: the command gets the mock’s URL and credentials; its status is the exit status; the mock is gone after', async () => {
    // The command checks the mock as CI would: verify against BINDINGS_MOCK_URL, then exits 3 on purpose.
    const script = `
      const url = process.env.BINDINGS_MOCK_URL;
      const auth = 'Basic ' + btoa(process.env.BINDINGS_USERNAME + ':' + process.env.BINDINGS_PASSWORD);
      const r = await fetch(url + ${JSON.stringify(listPath)}, { headers: { authorization: auth } });
      process.exit(r.status === 200 ? 3 : 9);`;
    const { status, stdout } = await cli([
      'mock',
      '--stateful',
      '--port',
      '0',
      '--',
      process.execPath,
      '--input-type=module',
      '-e',
      script,
    ]);
    expect(status).toBe(3);
    const url = /at (http:\/\/[^\s,]+)/.exec(stdout)?.[1] as string;
    expect(await answers(url)).toBe(false);
  });

  it('the seeded stateful mock holds two bindings and names the one verify may delete', async () => {
    const run = await cli(['mock', '--stateful', '--port', '0', '--', process.execPath, '-e', '']);
    const sid = /--delete-binding-sid (BS\w+)/.exec(run.stdout)?.[1];
    expect(run.stdout).toContain('2 bindings');
    expect(sid).toBeDefined();
  });

  it('Prism: stopped whatever the command does, even when it cannot be started', async () => {
    let stops = 0;
    const prism = {
      url: inject('prismUrl'),
      process: new EventEmitter(),
      stop: async () => {
        stops++;
      },
    } as unknown as PrismMock;
    const missing = await cli(
      ['mock', '--port', '0', '--', 'no-such-command-here'],
      {},
      { startPrism: async () => prism },
    );
    expect(missing.status).toBe(127);
    const failing = await cli(
      ['mock', '--port', '0', '--', process.execPath, '-e', 'process.exit(5)'],
      {},
      { startPrism: async () => prism },
    );
    expect(failing.status).toBe(5);
    expect(stops).toBe(2);
  });

  it.each([
    ['SIGINT', 'process.kill(process.pid, "SIGINT")'],
    ['SIGHUP', 'process.kill(process.pid, "SIGHUP")'],
    ['SIGUSR2', 'process.kill(process.pid, "SIGUSR2")'],
  ] as const)('a command ended by %s: 128 + its number, as a shell says', async (name, script) => {
    const { status } = await cli(['mock', '--stateful', '--port', '0', '--', process.execPath, '-e', script]);
    expect(status).toBe(128 + constants.signals[name]);
  });

  it('a command that ignores the stop it is passed is killed after the grace, and the mock stops', async () => {
    const controller = new AbortController();
    const ready = join(mkdtempSync(join(tmpdir(), 'mock-')), 'ready');
    // It ignores SIGTERM, says so in a file, and would run forever.
    const script = `process.on("SIGTERM", () => {}); require("fs").writeFileSync(${JSON.stringify(ready)}, ""); setInterval(() => {}, 1000);`;
    const run = cli(
      ['mock', '--stateful', '--port', '0', '--', process.execPath, '-e', script],
      {},
      { signal: controller.signal, stopGraceMs: 200 },
    );
    while (!existsSync(ready)) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Stopped('SIGTERM'));
    const { status, stdout } = await run;
    expect(status).toBe(128 + constants.signals.SIGKILL);
    const url = /at (http:\/\/[^\s,]+)/.exec(stdout)?.[1] as string;
    expect(await answers(url)).toBe(false);
  });

  it('a stop reaches what the command started too (its process group): nothing is left running', async () => {
    const controller = new AbortController();
    const pidFile = join(mkdtempSync(join(tmpdir(), 'mock-')), 'pid');
    // A shell that starts a grandchild and waits for it, as `npm test` starts node.
    const grandchild = `${JSON.stringify(process.execPath)} -e "setInterval(() => {}, 1000)"`;
    const script = `${grandchild} & echo $! > ${JSON.stringify(pidFile)}; wait`;
    const run = cli(
      ['mock', '--stateful', '--port', '0', '--', 'sh', '-c', script],
      {},
      { signal: controller.signal },
    );
    while (!existsSync(pidFile) || !readFileSync(pidFile, 'utf8').trim())
      await new Promise((resolve) => setTimeout(resolve, 20));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort(new Stopped('SIGTERM'));
    await run;
    // Running, not a zombie waiting for whoever inherited it to reap it (/proc: Linux, as CI).
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive()).toBe(false);
  });

  it('nothing after -- is a usage error', async () => {
    const { status, stderr } = await cli(['mock', '--stateful', '--']);
    expect(status).toBe(2);
    expect(stderr).toContain('nothing after --');
  });
});
