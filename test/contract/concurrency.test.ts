// 1,000 concurrent fetchBinding calls against the Prism mock: every one resolves to the example.
import { describe, expect, inject, it } from 'vitest';
import { createBindingsClient } from '../../src/client/index.ts';
import { bindingExample, exampleSids } from '../support/contract.ts';

describe('concurrency', () => {
  it('1,000 concurrent calls all resolve to the seed example, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = createBindingsClient({
        username: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        password: 'x',
        baseUrl: inject('prismUrl'),
      });
      const results = await Promise.all(Array.from({ length: 1000 }, () => client.fetchBinding(exampleSids)));
      expect(results).toHaveLength(1000);
      for (const binding of results) expect(binding).toStrictEqual(bindingExample);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 60_000);
});
