// `bindings-contract mock`: the contract mock on the port it prints, until asked to stop. The Prism
// engine is the suite's own Prism (starting one is test/global-setup.ts's job, and npm start's). With
// `-- COMMAND`, nothing the command started outlives the mock, however either ends (real commands here; the
// mock itself killed as a process is test/cli/mock.process.test.ts).
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { main } from '../../src/cli/main.ts';
import type { PrismMock } from '../../src/cli/prism.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import type { Binding } from '../../src/client/index.ts';
import { quoted } from '../../src/client/quote.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import {
  bindingExample,
  bindingPath,
  bindingTypes,
  exampleAccountSid,
  exampleSids,
  listPath,
  statusOf,
  valueNotIn,
} from '../support/contract.ts';
import { prismReady } from '../support/prism.ts';
import { eventually, pidsIn, running, startsSleep } from './mock-support.ts';

/** Runs `mock` with these arguments; resolves to the URL it announced, a way to stop it, and its exit status. */
async function runMock(args: string[], startPrism?: () => Promise<PrismMock>, env: NodeJS.ProcessEnv = {}) {
  const controller = new AbortController();
  const stop = () => controller.abort();
  let printed = '';
  let announce = (_url: string) => {};
  const announced = new Promise<string>((resolve) => {
    announce = resolve;
  });
  const status = main(['mock', ...args], env, {
    stdout: (text) => {
      printed += text;
      const url = /at (http:\/\/[^\s,]+)/.exec(printed)?.[1];
      if (url) announce(url);
    },
    stderr: () => {},
    signal: controller.signal,
    ...(startPrism && { startPrism }),
  });
  return {
    url: await Promise.race([announced, status.then((code) => `(exited ${code})`)]),
    stop,
    status,
    printed: () => printed,
  };
}

// The suite's Prism is spawned, not awaited, by the global setup: wait for it here.
beforeAll(prismReady, 35_000);

describe('mock (Prism)', () => {
  it('serves the contract on the URL it prints, and stops Prism when asked', async () => {
    let stops = 0;
    const prism = {
      url: inject('prismUrl'),
      process: new EventEmitter(),
      stop: async () => {
        stops++;
      },
    } as unknown as PrismMock;
    const run = await runMock(['--port', '0'], async () => prism);
    const response = await fetch(`${run.url}${bindingPath(exampleSids.chatServiceSid, exampleSids.sid)}`, {
      headers: { Authorization: basicAuthorization(exampleAccountSid, 'x') },
    });
    expect(await response.json()).toStrictEqual(bindingExample);
    run.stop();
    expect(await run.status).toBe(0);
    expect(stops).toBe(1);
  });
});

describe('mock --stateful', () => {
  const path = bindingPath(exampleSids.chatServiceSid, exampleSids.sid);

  it("serves the stateful fake at once, holding the contract's examples and one verify may delete, with its default credentials", async () => {
    const run = await runMock(['--stateful', '--port', '0']);
    try {
      const fake = createBindingsFake();
      const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
      const first = await fetch(`${run.url}${path}`, { headers: { authorization } });
      expect(await first.json()).toStrictEqual(bindingExample);
      expect(run.printed()).toContain(`${fake.bindings.length + 1} bindings (verify may delete BS`);
      const deleted = await fetch(`${run.url}${path}`, { method: 'DELETE', headers: { authorization } });
      expect(deleted.status).toBe(operationFacts.DeleteServiceBinding.successStatus);
      expect((await fetch(`${run.url}${path}`, { headers: { authorization } })).status).toBe(
        statusOf('NotFound'),
      );
    } finally {
      run.stop();
    }
    expect(await run.status).toBe(0);
  });

  it('takes its credentials from the environment verify reads, and says so without printing them', async () => {
    const env = { BINDINGS_USERNAME: exampleAccountSid, BINDINGS_PASSWORD: 'mock-env-secret' };
    const run = await runMock(['--stateful', '--port', '0'], undefined, env);
    try {
      const as = (password: string) =>
        fetch(`${run.url}${path}`, {
          headers: { authorization: basicAuthorization(exampleAccountSid, password) },
        });
      expect((await as(env.BINDINGS_PASSWORD)).status).toBe(operationFacts.FetchServiceBinding.successStatus);
      expect((await as(createBindingsFake().credentials.password)).status).toBe(statusOf('Unauthorized'));
      expect(run.printed()).not.toContain(env.BINDINGS_PASSWORD);
    } finally {
      run.stop();
    }
    await run.status;
  });

  it('serves the bindings of --fixtures, checked as the in-process fixtures are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fixtures-'));
    try {
      const mine = [bindingFor(), bindingFor()];
      await writeFile(join(dir, 'good.json'), JSON.stringify(mine));
      const run = await runMock(['--stateful', '--port', '0', '--fixtures', join(dir, 'good.json')]);
      try {
        const fake = createBindingsFake();
        const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
        const [one] = mine as [Binding];
        const got = await fetch(
          `${run.url}${bindingPath(one.chat_service_sid as string, one.sid as string)}`,
          {
            headers: { authorization },
          },
        );
        expect(await got.json()).toStrictEqual(one);
        expect((await fetch(`${run.url}${path}`, { headers: { authorization } })).status).toBe(
          statusOf('NotFound'),
        );
      } finally {
        run.stop();
      }
      await run.status;

      const wrongType = valueNotIn(bindingTypes);
      await writeFile(
        join(dir, 'bad.json'),
        JSON.stringify([bindingFor(), { ...bindingFor(), binding_type: wrongType }]),
      );
      let stderr = '';
      const status = await main(
        ['mock', '--stateful', '--port', '0', '--fixtures', join(dir, 'bad.json')],
        {},
        {
          stdout: () => {},
          stderr: (t) => {
            stderr += t;
          },
        },
      );
      expect(status).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain('--fixtures[1]/binding_type');
      for (const value of bindingTypes) expect(stderr).toContain(value);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('mock -- COMMAND leaves nothing running', () => {
  it('a command that exits at once leaving a background process: it is stopped before the mock exits', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mock-')), 'pids');
    const status = await main(
      ['mock', '--stateful', '--port', '0', '--', 'sh', '-c', startsSleep('exit 0'), file],
      {},
      { stdout: () => {}, stderr: () => {} },
    );
    expect(status).toBe(0);
    const [shell = 0, sleep = 0] = pidsIn(file);
    expect([running(shell), running(sleep)]).toEqual([false, false]);
  });

  it.each([
    ['not found', ['vitset-is-no-command', 'run'], 127, 'command not found: "vitset-is-no-command"'],
    ['a folder', [tmpdir()], 126, `command not executable: ${quoted(tmpdir())}`],
    ['named at length', ['x'.repeat(10_000)], 126, 'command could not be started: "xxxx'],
  ])(
    'a command that cannot be started (%s): its status, and one line on stderr naming it, bounded',
    async (_what, command, code, said) => {
      let stderr = '';
      const status = await main(
        ['mock', '--stateful', '--port', '0', '--', ...command],
        {},
        {
          stdout: () => {},
          stderr: (text) => {
            stderr += text;
          },
        },
      );
      expect(status).toBe(code);
      expect(stderr).toContain(said);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr.length).toBeLessThan(300);
    },
  );

  it.each([
    ['passes', '', 3, 'the command passed (exit status 0)'],
    ['fails', '; exit 5', 5, 'the command exited with status 5'],
  ])(
    'a command that %s, but --coverage cannot be written after it: said in one line naming the file',
    async (_what, then, status, said) => {
      // Its folder is there when the mock checks it, and the command removes it.
      const folder = join(mkdtempSync(join(tmpdir(), 'mock-')), 'gone');
      mkdirSync(folder);
      const file = join(folder, 'coverage.json');
      const command = ['sh', '-c', `rm -r "$0"${then}`, folder];
      let stderr = '';
      const exit = await main(
        ['mock', '--stateful', '--port', '0', '--coverage', file, '--', ...command],
        {},
        {
          stdout: () => {},
          stderr: (text) => {
            stderr += text;
          },
        },
      );
      expect(exit).toBe(status);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(said);
      expect(stderr).toContain(`--coverage ${quoted(file)} could not be written`);
    },
  );
});

describe('mock --ready-file: what a script needs of a mock it started, written whole once it answers', () => {
  it('a pipe or a device is refused up front (exit 2, naming it): the file is replaced, then removed', async () => {
    let stderr = '';
    const status = await main(
      ['mock', '--stateful', '--port', '0', '--ready-file', '/dev/null'],
      {},
      {
        stdout: () => {},
        stderr: (text) => {
          stderr += text;
        },
      },
    );
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`--ready-file ${quoted('/dev/null')} is not a file`);
  });

  it.each<[string, Record<string, string>]>([
    ["the fake's own credentials", {}],
    [
      'credentials from the environment',
      { BINDINGS_USERNAME: exampleAccountSid, BINDINGS_PASSWORD: 'ready-secret' },
    ],
  ])('with %s: its URL and the SID verify may delete; the file is gone once it stops', async (_what, env) => {
    const file = join(mkdtempSync(join(tmpdir(), 'mock-')), 'ready.json');
    const run = await runMock(['--stateful', '--port', '0', '--ready-file', file], undefined, env);
    try {
      expect(await eventually(() => existsSync(file))).toBe(true);
      const text = readFileSync(file, 'utf8');
      const ready = JSON.parse(text);
      expect(ready.url).toBe(run.url);
      expect(run.printed()).toContain(`--delete-binding-sid ${ready.deleteBindingSid}`);
      if (env.BINDINGS_PASSWORD) expect(text).not.toContain(env.BINDINGS_PASSWORD);
      const authorization = basicAuthorization(
        env.BINDINGS_USERNAME ?? ready.username,
        env.BINDINGS_PASSWORD ?? ready.password,
      );
      const path = bindingPath(exampleSids.chatServiceSid, ready.deleteBindingSid);
      const deleted = await fetch(`${ready.url}${path}`, { method: 'DELETE', headers: { authorization } });
      expect(deleted.status).toBe(operationFacts.DeleteServiceBinding.successStatus);
      const listed = await fetch(`${ready.url}${listPath}`, { headers: { authorization } });
      expect((await listed.json()).bindings).toHaveLength(ready.bindings - 1);
    } finally {
      run.stop();
    }
    expect(await run.status).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});
