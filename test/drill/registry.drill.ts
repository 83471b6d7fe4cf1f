// The drill (npm run test:drill), in a scratch copy whose contract has the push credentials added: the
// registry places them with nothing of the Binding written for them, and changes no Binding fact.
import { describe, expect, it } from 'vitest';
import { operationRegistry, resourceRegistry } from '../../generated/registry.js';

const credentialOps = Object.values(operationRegistry).filter((op) => op.path.startsWith('/v1/Credentials'));

describe('the registry of a contract with the push credentials added', () => {
  it('places list, fetch and delete on the Credential resource', () => {
    expect(credentialOps.map((op) => [op.action, op.methodName]).sort()).toEqual([
      ['delete', 'deleteCredential'],
      ['fetch', 'fetchCredential'],
      ['list', 'listCredentials'],
    ]);
    expect(Object.keys(resourceRegistry).sort()).toEqual(['Credential', 'ServiceBinding']);
  });

  it("keeps each resource's own SID rule", () => {
    const patterns = new Set(Object.values(operationRegistry).map((op) => op.sid?.pattern ?? null));
    expect(patterns.size).toBe(3); // a Binding's, a Credential's, and none (the lists)
  });
});
