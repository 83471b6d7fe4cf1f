// 1,000 concurrent calls of every operation: each resolves as the contract says, nothing is left
// unhandled. (Against the in-memory fake: the point is the client under load, not a socket.)
import { describe, expect, it } from 'vitest';
import { createBindingsClient } from '../../src/client/index.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample, exampleSids } from '../support/contract.ts';

describe('concurrency', () => {
  it('1,000 concurrent fetches, lists and deletes resolve as they should, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const doomed = Array.from({ length: 200 }, () => bindingFor({}));
      const fake = createBindingsFake({ bindings: [bindingExample, ...doomed] });
      const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
      const service = { chatServiceSid: exampleSids.chatServiceSid };
      const calls = Array.from({ length: 1000 }, (_, i) => {
        if (i % 5 === 4) return client.deleteBinding({ ...service, sid: String(doomed[(i - 4) / 5]?.sid) });
        if (i % 5 === 3) return client.fetchBindingsPage(service).then((page) => page.meta.page_size);
        return client.fetchBinding(exampleSids);
      });
      const results = await Promise.all(calls);
      expect(results.filter((r) => typeof r === 'object')).toHaveLength(600);
      for (const r of results) if (typeof r === 'object') expect(r).toStrictEqual(bindingExample);
      expect(results.filter((r) => r === undefined)).toHaveLength(200);
      expect(fake.bindings).toStrictEqual([bindingExample]);
      expect(fake.requests).toHaveLength(1000);
      // Unhandled rejections are reported on a later turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
