// Contract tests: the client against a real Prism mock of the bundled contract, over HTTP.
import createClient from 'openapi-fetch';
import { describe, expect, inject, it } from 'vitest';
import { operation } from '../../generated/contract.js';
import type { paths } from '../../src/client/index.ts';
import { createBindingsClient } from '../../src/client/index.ts';
import { bindingExample, bindingPath, errorExample, exampleSids } from '../support/contract.ts';

const baseUrl = inject('prismUrl');
const credentials = { username: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', password: 'test-auth-token' };

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

describe('fetchBinding against the Prism mock', () => {
  it("returns the contract's example, value for value", async () => {
    const client = createBindingsClient({ ...credentials, baseUrl });
    await expect(client.fetchBinding(exampleSids)).resolves.toStrictEqual(bindingExample);
  });

  it('gets responses that carry no sl-violations header (request and response keep the contract)', async () => {
    const { seen, fetch } = recordingFetch();
    const client = createBindingsClient({ ...credentials, baseUrl, fetch });
    await client.fetchBinding(exampleSids);
    const { response } = await client.raw.GET(operation.path, {
      params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: exampleSids.sid } },
    });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    for (const r of seen) expect(r.headers.get('sl-violations')).toBeNull();
  });
});

describe('the raw client against the Prism mock', () => {
  it('gets 422 for a SID that breaks the pattern', async () => {
    const client = createBindingsClient({ ...credentials, baseUrl });
    const { response, error } = await client.raw.GET(operation.path, {
      params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: 'BSnot-a-binding' } },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('sl-violations')).toContain('pattern');
    expect(error).toStrictEqual(errorExample('default'));
  });

  it('gets 401 without credentials', async () => {
    const anonymous = createClient<paths>({ baseUrl });
    const { response, error } = await anonymous.GET(operation.path, {
      params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: exampleSids.sid } },
    });
    expect(response.status).toBe(401);
    expect(error).toStrictEqual(errorExample('401'));
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
