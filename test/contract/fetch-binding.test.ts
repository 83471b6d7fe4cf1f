// Contract tests: the client against a real Prism mock of the bundled contract, over HTTP.
import createClient from 'openapi-fetch';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import type { paths } from '../../src/client/index.ts';
import { createBindingsClient } from '../../src/client/index.ts';
import {
  bindingExample,
  bindingPath,
  errorExample,
  example,
  exampleAccountSid,
  exampleSids,
  invalidSids,
  statusOf,
} from '../support/contract.ts';
import { prismReady } from '../support/prism.ts';

const baseUrl = inject('prismUrl');
const credentials = { username: exampleAccountSid, password: 'test-auth-token' };
const { path } = operationFacts.FetchServiceBinding;

/** A fetch that remembers every response it saw, to inspect their headers. */
function recordingFetch() {
  const seen: Response[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await globalThis.fetch(input, init);
    seen.push(response);
    return response;
  };
  return { seen, fetch: fetch as typeof globalThis.fetch };
}

// The suite's Prism is spawned, not awaited, by the global setup: wait for it here.
beforeAll(prismReady, 35_000);

describe('fetchBinding against the Prism mock', () => {
  it("returns the contract's example, value for value", async () => {
    const client = createBindingsClient({ ...credentials, baseUrl });
    await expect(client.fetchBinding(exampleSids)).resolves.toStrictEqual(bindingExample);
  });

  it('gets responses that carry no sl-violations header (request and response keep the contract)', async () => {
    const { seen, fetch } = recordingFetch();
    const client = createBindingsClient({ ...credentials, baseUrl, fetch });
    await client.fetchBinding(exampleSids);
    const { response } = await client.raw.GET(path, {
      params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: exampleSids.sid } },
    });
    expect(response.ok).toBe(true);
    expect(seen).toHaveLength(2);
    for (const r of seen) expect(r.headers.get('sl-violations')).toBeNull();
  });
});

describe('the raw client against the Prism mock', () => {
  it("answers a SID that breaks the pattern with the contract's catch-all error (Prism: 422)", async () => {
    const client = createBindingsClient({ ...credentials, baseUrl });
    const { response, error } = await client.raw.GET(path, {
      params: {
        path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: invalidSids('Sid')['a wrong prefix'] },
      },
    });
    const catchAll = example('FetchServiceBinding', 'default') as { status: number };
    expect(response.status).toBe(catchAll.status);
    expect(response.headers.get('sl-violations')).toContain('pattern');
    expect(error).toStrictEqual(catchAll);
  });

  it('gets the documented Unauthorized answer without credentials', async () => {
    const anonymous = createClient<paths>({ baseUrl });
    const { response, error } = await anonymous.GET(path, {
      params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: exampleSids.sid } },
    });
    expect(response.status).toBe(statusOf('Unauthorized'));
    expect(error).toStrictEqual(errorExample('Unauthorized'));
  });

  it('sends the path the contract describes', async () => {
    const { seen, fetch } = recordingFetch();
    const client = createBindingsClient({ ...credentials, baseUrl, fetch });
    await client.fetchBinding(exampleSids);
    expect(new URL(seen[0]?.url ?? '').pathname).toBe(
      bindingPath(exampleSids.chatServiceSid, exampleSids.sid),
    );
  });
});
