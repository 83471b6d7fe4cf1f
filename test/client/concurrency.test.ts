// 1,000 concurrent fetchBinding calls over loopback: every one resolves to the example, nothing leaks.
// (Against a local server rather than Prism: the point is the client under load, not the contract.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBindingsClient } from '../../src/client/index.ts';
import { bindingExample, exampleAccountSid, exampleSids } from '../support/contract.ts';
import { type FaultServer, json, startFaultServer } from '../support/fault-server.ts';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
  server.script(json(200, bindingExample));
});
afterAll(() => server.close());

describe('concurrency', () => {
  it('1,000 concurrent calls all resolve to the seed example, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = createBindingsClient({
        username: exampleAccountSid,
        password: 'x',
        baseUrl: server.url,
      });
      const results = await Promise.all(Array.from({ length: 1000 }, () => client.fetchBinding(exampleSids)));
      expect(results).toHaveLength(1000);
      for (const binding of results) expect(binding).toStrictEqual(bindingExample);
      expect(server.requests).toHaveLength(1000);
      // Unhandled rejections are reported on a later turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
