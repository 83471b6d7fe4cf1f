// Contract tests for listing and deleting: the client and the raw client against a real Prism mock
// of the bundled contract, over HTTP (examples served, query parameters validated by Prism too).
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { operationFacts, parameterOf } from '../../generated/contract.js';
import { type Binding, createBindingsClient, type ListBindingsParams } from '../../src/client/index.ts';
import { bindingTypes, example, exampleAccountSid, exampleSids, listExample } from '../support/contract.ts';
import { prismReady } from '../support/prism.ts';

const baseUrl = inject('prismUrl');
const client = () =>
  createBindingsClient({ username: exampleAccountSid, password: 'test-auth-token', baseUrl });
const service = { chatServiceSid: exampleSids.chatServiceSid };
const { path: listPathTemplate } = operationFacts.ListServiceBinding;
const { path: itemPathTemplate } = operationFacts.DeleteServiceBinding;

// The suite's Prism is spawned, not awaited, by the global setup: wait for it here.
beforeAll(prismReady, 35_000);

describe('listing against the Prism mock', () => {
  it("fetchBindingsPage returns the contract's first list example, value for value", async () => {
    const page = await client().fetchBindingsPage(service);
    expect({ bindings: page.bindings, meta: page.meta }).toStrictEqual(listExample);
  });

  it("listBindings yields the example page's bindings and stops at its last page", async () => {
    const seen: Binding[] = [];
    for await (const binding of client().listBindings(service)) seen.push(binding);
    expect(seen).toStrictEqual(listExample.bindings);
  });

  it('Prism accepts the exploded filters the client sends (no sl-violations)', async () => {
    const responses: Response[] = [];
    const recording = createBindingsClient({
      username: exampleAccountSid,
      password: 'x',
      baseUrl,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        responses.push(response);
        return response;
      },
    });
    const params = {
      ...service,
      bindingType: bindingTypes.slice(0, 2),
      identity: ['a', 'b'],
    } as ListBindingsParams;
    await recording.fetchBindingsPage(params);
    expect(responses[0]?.headers.get('sl-violations')).toBeNull();
  });

  it("the raw client's invalid page size is refused by Prism with the contract's catch-all error", async () => {
    const catchAll = example('ListServiceBinding', 'default') as { status: number };
    const { response } = await client().raw.GET(listPathTemplate, {
      params: { path: { ChatServiceSid: service.chatServiceSid }, query: { PageSize: 0 } },
    });
    expect(response.status).toBe(catchAll.status);
    const pageSize = parameterOf.ListServiceBinding.pageSize.name;
    // Prism names the parameter in lower case in its violations.
    expect(response.headers.get('sl-violations')).toContain(String(pageSize).toLowerCase());
  });
});

describe('deleting against the Prism mock', () => {
  it('deleteBinding resolves on the documented answer', async () => {
    await expect(client().deleteBinding(exampleSids)).resolves.toBeUndefined();
  });

  it('the raw client types DELETE on the item path', async () => {
    const { response } = await client().raw.DELETE(itemPathTemplate, {
      params: { path: { ChatServiceSid: exampleSids.chatServiceSid, Sid: exampleSids.sid } },
    });
    expect(String(response.status)).toBe(String(operationFacts.DeleteServiceBinding.successStatus));
  });
});
