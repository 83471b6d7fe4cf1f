// `bindings-contract mock`: Prism on the bundled contract until asked to stop.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { bindingExample, bindingPath, exampleAccountSid, exampleSids } from '../support/contract.ts';

describe('mock', () => {
  it('serves the contract on the port it prints, and stops when asked', async () => {
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let printed = '';
    let announce = (_url: string) => {};
    const announced = new Promise<string>((resolve) => {
      announce = resolve;
    });
    const run = main(
      ['mock', '--port', '0', '--host', '127.0.0.1'],
      {},
      {
        stdout: (text) => {
          printed += text;
          const url = /at (http:\/\/\S+)/.exec(printed)?.[1];
          if (url) announce(url);
        },
        stderr: () => {},
        stopped,
      },
    );
    const url = await announced;
    const response = await fetch(`${url}${bindingPath(exampleSids.chatServiceSid, exampleSids.sid)}`, {
      headers: { Authorization: basicAuthorization(exampleAccountSid, 'x') },
    });
    expect(await response.json()).toStrictEqual(bindingExample);
    stop();
    expect(await run).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  }, 30_000);
});
