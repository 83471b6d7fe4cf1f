// `bindings-contract mock`: the contract mock on the port it prints, until asked to stop. The Prism
// engine is the suite's own Prism (starting one is test/global-setup.ts's job, and npm start's).
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { main } from '../../src/cli/main.ts';
import type { PrismMock } from '../../src/cli/prism.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import type { Binding } from '../../src/client/index.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import {
  bindingExample,
  bindingPath,
  bindingTypes,
  exampleAccountSid,
  exampleSids,
  statusOf,
  valueNotIn,
} from '../support/contract.ts';
import { prismReady } from '../support/prism.ts';

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
