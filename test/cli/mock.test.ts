// `bindings-contract mock`: the contract mock on the port it prints, until asked to stop. The Prism
// engine is the suite's own Prism (starting one is test/global-setup.ts's job, and npm start's).
import { EventEmitter } from 'node:events';
import { describe, expect, inject, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { PrismMock } from '../../src/cli/prism.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { bindingExample, bindingPath, exampleAccountSid, exampleSids } from '../support/contract.ts';

/** Runs `mock` with these arguments; resolves to the URL it announced, a way to stop it, and its exit status. */
async function runMock(args: string[], startPrism?: () => Promise<PrismMock>) {
  const controller = new AbortController();
  const stop = () => controller.abort();
  let printed = '';
  let announce = (_url: string) => {};
  const announced = new Promise<string>((resolve) => {
    announce = resolve;
  });
  const status = main(
    ['mock', ...args],
    {},
    {
      stdout: (text) => {
        printed += text;
        const url = /at (http:\/\/\S+)/.exec(printed)?.[1];
        if (url) announce(url);
      },
      stderr: () => {},
      signal: controller.signal,
      ...(startPrism && { startPrism }),
    },
  );
  return { url: await announced, stop, status };
}

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
