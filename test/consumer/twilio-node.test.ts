// The official SDK (twilio-node, from bench/'s own install, kept out of the main one) and this client,
// side by side against one stateful fake that holds a binding the contract does not document (twilsock,
// as the provider's own description allows): both see every binding; only this client reports it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { server } from '../../generated/contract.js';
import { root } from '../../scripts/paths.ts';
import { type FakeServer, serveFake } from '../../src/cli/fake-server.ts';
import { type Binding, type ContractViolationError, createBindingsClient } from '../../src/client/index.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample, bindingTypes, exampleSids, valueNotIn } from '../support/contract.ts';

const bench = join(root, 'bench');
const quiet = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  SCARF_ANALYTICS: 'false',
  DO_NOT_TRACK: '1',
};

type Twilio = (
  username: string,
  password: string,
  options: { httpClient: unknown },
) => {
  conversations: {
    v1: { services(sid: string): { bindings: { list(): Promise<{ sid: string; bindingType: string }[]> } } };
  };
};

let served: FakeServer;
let twilio: Twilio & {
  RequestClient: new (options: object) => { request(opts: { uri: string }): Promise<unknown> };
};
const unknownType = valueNotIn(bindingTypes);
const bindings = [
  bindingExample,
  { ...bindingFor({}), binding_type: unknownType },
  bindingFor({}),
] as Binding[];
const fake = createBindingsFake({ bindings, allowOffContract: true });

beforeAll(async () => {
  if (!existsSync(join(bench, 'node_modules/twilio')))
    execFileSync('npm', ['ci', '--prefer-offline'], { cwd: bench, env: quiet, stdio: 'pipe' });
  twilio = createRequire(join(bench, 'package.json'))('twilio');
  served = await serveFake(fake);
}, 180_000);
afterAll(() => served?.close());

/** twilio-node's own extension point: a RequestClient that sends to the fake instead of the provider's host. */
function localHttpClient() {
  const url = served.url;
  class Local extends twilio.RequestClient {
    override request(opts: { uri: string }) {
      return super.request({ ...opts, uri: String(opts.uri).replace(server, url) });
    }
  }
  return new Local({});
}

describe('twilio-node and this client against one fake holding a twilsock binding', () => {
  it('both see every binding; only this client reports the one off the contract', async () => {
    const sdk = twilio(fake.credentials.username, fake.credentials.password, {
      httpClient: localHttpClient(),
    });
    const fromSdk = await sdk.conversations.v1.services(exampleSids.chatServiceSid).bindings.list();
    expect(fromSdk.map((b) => b.sid)).toEqual(bindings.map((b) => b.sid));
    expect(fromSdk[1]?.bindingType).toBe(unknownType);

    const reports: ContractViolationError[] = [];
    const ours = createBindingsClient({
      ...fake.credentials,
      baseUrl: served.url,
      validateResponse: 'report',
      onViolation: (error) => {
        reports.push(error);
      },
    });
    const fromOurs: Binding[] = [];
    for await (const b of ours.listBindings({ chatServiceSid: exampleSids.chatServiceSid })) fromOurs.push(b);
    expect(fromOurs.map((b) => b.sid)).toEqual(bindings.map((b) => b.sid));
    expect(reports.map((r) => r.violations.map((v) => v.path))).toEqual([['/bindings/1/binding_type']]);
  });
});
