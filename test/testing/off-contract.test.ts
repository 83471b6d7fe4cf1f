// The fake holding bindings off the contract on purpose (allowOffContract): refused by default, served
// as the provider would when asked (fetched, listed and paged, deleted), the BindingType filter strict,
// and every other part of its answers still checked. verify, against it over HTTP, fails naming the field.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationFacts, parameterOf, server } from '../../generated/contract.js';
import { serveFake } from '../../src/cli/fake-server.ts';
import { main } from '../../src/cli/main.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import type { Binding } from '../../src/client/index.ts';
import { bindingFor, createBindingsFake, FixtureError } from '../../src/testing/index.ts';
import {
  bindingExample,
  bindingPath,
  bindingTypes,
  exampleSids,
  listPath,
  statusOf,
  valueNotIn,
} from '../support/contract.ts';

const unknownType = valueNotIn(bindingTypes);
const off = (): Binding => ({ ...bindingFor({}), binding_type: unknownType }) as unknown as Binding;
const name = (key: keyof typeof parameterOf.ListServiceBinding) => parameterOf.ListServiceBinding[key].name;

function setUp(bindings: Binding[]) {
  const fake = createBindingsFake({ bindings, allowOffContract: true });
  const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
  const send = (path: string, method = 'GET') =>
    fake.fetch(`${server}${path}`, { method, headers: { authorization } });
  return { fake, send };
}

describe('allowOffContract', () => {
  it('is off by default: a binding off the contract is a FixtureError naming its field', () => {
    expect(() => createBindingsFake({ bindings: [off()] })).toThrow(FixtureError);
    expect(() => createBindingsFake({ bindings: [off()] })).toThrow(/^bindings\[0\]\/binding_type: /);
  });

  it('holds it, and serves it fetched, listed (paged like the others) and deleted', async () => {
    const odd = off();
    const bindings = [bindingExample, odd, bindingFor({})];
    const { fake, send } = setUp(bindings);
    const fetched = await send(bindingPath(exampleSids.chatServiceSid, odd.sid as string));
    expect(fetched.status).toBe(operationFacts.FetchServiceBinding.successStatus);
    expect((await fetched.json()).binding_type).toBe(unknownType);
    const first = await (await send(`${listPath}?${name('pageSize')}=2`)).json();
    expect(first.bindings.map((b: Binding) => b.sid)).toEqual([bindingExample.sid, odd.sid]);
    const second = await (await send(String(first.meta.next_page_url).slice(server.length))).json();
    expect(second.bindings.map((b: Binding) => b.sid)).toEqual([bindings[2]?.sid]);
    const deleted = await send(bindingPath(exampleSids.chatServiceSid, odd.sid as string), 'DELETE');
    expect(deleted.status).toBe(operationFacts.DeleteServiceBinding.successStatus);
    expect(fake.bindings.map((b) => b.sid)).toEqual([bindingExample.sid, bindings[2]?.sid]);
  });

  it('keeps the BindingType filter strict: documented values only, and they do not match it', async () => {
    const { send } = setUp([bindingExample, off()]);
    const documented = await (
      await send(`${listPath}?${name('bindingType')}=${bindingExample.binding_type}`)
    ).json();
    expect(documented.bindings.map((b: Binding) => b.sid)).toEqual([bindingExample.sid]);
    expect((await send(`${listPath}?${name('bindingType')}=${unknownType}`)).status).toBe(400);
  });

  it('still refuses what no binding may be: not an object, no sid', () => {
    for (const bad of [null, 'binding', { ...bindingFor({}), sid: undefined }])
      expect(() => createBindingsFake({ bindings: [bad as never], allowOffContract: true })).toThrow(
        FixtureError,
      );
  });

  it('counts an answer holding a binding off the contract as no coverage: only conforming answers count', async () => {
    // Off in two fields the contract types (identity a string, date_created a date-time), not binding_type.
    const odd = { ...bindingFor({}), identity: 42, date_created: 'yesterday' } as unknown as Binding;
    const { fake, send } = setUp([odd]);
    const fetched = await send(bindingPath(exampleSids.chatServiceSid, odd.sid as string));
    expect(fetched.status).toBe(operationFacts.FetchServiceBinding.successStatus);
    expect((await send(listPath)).status).toBe(operationFacts.ListServiceBinding.successStatus);
    expect(fake.coverage().exercised).toEqual({});
    // A conforming answer of the same fake counts.
    fake.bindings = [bindingFor({})];
    await send(listPath);
    expect(fake.coverage().exercised).toHaveProperty('ListServiceBinding status 200', 1);
  });

  it('counts an answer broken on purpose (breakContract) as no coverage either', async () => {
    const { fake, send } = setUp([bindingFor({})]);
    fake.inject({ breakContract: (page) => ({ ...page, bindings: [{ binding_type: unknownType }] }) });
    await send(listPath);
    expect(fake.coverage().exercised).toEqual({});
  });

  it('still checks everything else it answers (an injected 429 keeps its documented header)', async () => {
    const { fake, send } = setUp([off()]);
    fake.inject({ status: statusOf('TooManyRequests') });
    const limited = await send(listPath);
    expect(limited.headers.get(operationFacts.ListServiceBinding.retryAfter.header)).not.toBeNull();
  });
});

describe('mock --stateful --allow-off-contract, checked by verify (which stays strict)', () => {
  it('verify fails the checks that see it, naming the field and the documented values', async () => {
    const known = { ...bindingExample, binding_type: unknownType } as unknown as Binding;
    const fake = createBindingsFake({ bindings: [known, bindingFor({})], allowOffContract: true });
    const served = await serveFake(fake);
    try {
      let stdout = '';
      const env = {
        BINDINGS_USERNAME: fake.credentials.username,
        BINDINGS_PASSWORD: fake.credentials.password,
      };
      const status = await main(['verify', '--base-url', served.url, '--seed', '1'], env, {
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => {},
      });
      expect(status).toBe(1);
      expect(stdout).toMatch(/^✗ known_binding: /m);
      expect(stdout).toMatch(/^✗ list_pagination: /m);
      expect(stdout).toContain(
        `/binding_type: must be one of the documented values ${bindingTypes.join(', ')} (got "${unknownType}")`,
      );
    } finally {
      await served.close();
    }
  });

  it('the command line takes --allow-off-contract with --fixtures (and refuses it without --stateful)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'off-contract-'));
    const file = join(dir, 'fixtures.json');
    await writeFile(file, JSON.stringify([off()]));
    const run = async (args: string[]) => {
      const controller = new AbortController();
      let out = '';
      let err = '';
      const status = main(
        ['mock', ...args],
        {},
        {
          stdout: (t) => {
            out += t;
            if (out.includes('Ctrl-C')) controller.abort();
          },
          stderr: (t) => {
            err += t;
          },
          signal: controller.signal,
        },
      );
      return { status: await status, out, err };
    };
    try {
      expect((await run(['--stateful', '--port', '0', '--fixtures', file])).status).toBe(2);
      const allowed = await run(['--stateful', '--port', '0', '--fixtures', file, '--allow-off-contract']);
      expect(allowed.status).toBe(0);
      expect(allowed.out).toContain('1 bindings');
      const prism = await run(['--allow-off-contract']);
      expect(prism.status).toBe(2);
      expect(prism.err).toContain('need --stateful');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
