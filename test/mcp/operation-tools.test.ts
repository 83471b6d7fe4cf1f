// The operation tools, driven by the SDK's own Client: against the stateful fake (fetch, a list paged by
// cursors, delete only when allowed), with bad arguments (a tool error, nothing sent), and behind a hostile
// service (bounded results, no piece of the credential anywhere).
import { describe, expect, it } from 'vitest';
import { parameterOf, parameterRules } from '../../generated/contract.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { type Binding, createBindingsClient } from '../../src/client/index.ts';
import { CURSOR_RULE, Cursors } from '../../src/mcp/cursors.ts';
import { MAX_RESULT_BYTES } from '../../src/mcp/results.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { expectNoPiece, password, username } from '../hostile/leaks.ts';
import {
  bindingExample,
  errorExample,
  exampleSids,
  invalidSids,
  jsonType,
  keepsRule,
  listPageOf,
  nthBinding,
  pageUrl,
  statusOf,
  withFields,
} from '../support/contract.ts';
import { byAction, connect, textOf, toolNameOf } from './support.ts';

const fetchTool = toolNameOf(byAction('fetch'));
const listTool = toolNameOf(byAction('list'));
const deleteTool = toolNameOf(byAction('delete'));
const sidsOf = (b: Binding) => ({ chatServiceSid: String(b.chat_service_sid), sid: String(b.sid) });

/** A fake holding `count` bindings of the example service, and a server whose tools call it. */
async function withFake(count: number, options: { allowDelete?: boolean } = {}) {
  const fake = createBindingsFake({ bindings: Array.from({ length: count }, () => bindingFor({})) });
  const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch, retry: false });
  return { fake, ...(await connect({ client, openWorld: false, ...options })) };
}

describe('against the stateful fake', () => {
  it('fetches a binding as structured content, the JSON text beside it', async () => {
    const { fake, call, close } = await withFake(3);
    const wanted = fake.bindings[1] as Binding;
    const result = await call(fetchTool, sidsOf(wanted));
    await close();
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(wanted);
    expect(JSON.parse(textOf(result))).toEqual(wanted);
  });

  it('lists one bounded page at a time, each with a cursor to the next, until the last', async () => {
    const { fake, call, close } = await withFake(5);
    const args = { chatServiceSid: exampleSids.chatServiceSid, pageSize: 2 };
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const result = await call(listTool, { ...args, ...(cursor && { cursor }) });
      expect(result.isError, textOf(result)).toBeFalsy();
      const page = result.structuredContent as { bindings: Binding[]; cursor?: string };
      expect(page.bindings.length).toBeLessThanOrEqual(args.pageSize);
      seen.push(...page.bindings.map((b) => String(b.sid)));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    const requests = fake.requests.length;
    await close();
    expect(seen).toEqual(fake.bindings.map((b) => b.sid));
    expect(pages).toBe(3);
    expect(requests).toBe(3);
  });

  it('a cursor asked again gives the same page again; one for other arguments, or not its own, is refused unsent', async () => {
    const { fake, call, close } = await withFake(4);
    const args = { chatServiceSid: exampleSids.chatServiceSid, pageSize: 1 };
    const first = (await call(listTool, args)).structuredContent as { cursor: string };
    const again = await call(listTool, { ...args, cursor: first.cursor });
    const twice = await call(listTool, { ...args, cursor: first.cursor });
    const shown = (r: typeof again) => ({ ...r.structuredContent, cursor: undefined });
    expect(shown(twice)).toEqual(shown(again));
    const sent = fake.requests.length;
    const other = await call(listTool, { ...args, pageSize: 2, cursor: first.cursor });
    const forged = await call(listTool, {
      ...args,
      cursor: `${first.cursor.startsWith('A') ? 'B' : 'A'}${first.cursor.slice(1)}`,
    });
    const malformed = await call(listTool, { ...args, cursor: 'x' });
    const unsent = fake.requests.length;
    await close();
    expect(unsent).toBe(sent);
    expect(textOf(other)).toBe(
      `Invalid cursor: expected a cursor given with the same arguments as the call that returned it, got "${first.cursor}" (22 characters).`,
    );
    expect(textOf(forged)).toMatch(/^Invalid cursor: expected .*that this server still holds/);
    expect(textOf(malformed)).toBe(`Invalid cursor: expected ${CURSOR_RULE}, got "x" (1 characters).`);
    for (const r of [other, forged, malformed]) expect(r.isError).toBe(true);
  });

  it('keeps the last cursors only, whatever a caller lists', () => {
    const cursors = new Cursors<number>(2);
    const next = async () => 1;
    const [a, b, c] = [1, 2, 3].map(() => cursors.issue({ tool: 't', args: '{}', next }));
    expect(cursors.take(a, 't', '{}')).toMatchObject({
      expected: expect.stringContaining('keeps the last 2'),
    });
    for (const kept of [b, c]) expect(cursors.take(kept, 't', '{}')).toHaveProperty('held');
  });

  it('deletes only when the server was started with --allow-delete', async () => {
    const readOnly = await withFake(2);
    const target = sidsOf(readOnly.fake.bindings[0] as Binding);
    await expect(readOnly.call(deleteTool, target)).rejects.toThrow(/--allow-delete/);
    const kept = readOnly.fake.bindings.length;
    await readOnly.close();
    expect(kept).toBe(2);

    const { fake, call, close } = await withFake(2, { allowDelete: true });
    const doomed = sidsOf(fake.bindings[0] as Binding);
    const deleted = await call(deleteTool, doomed);
    const gone = await call(fetchTool, doomed);
    await close();
    expect(deleted.isError, textOf(deleted)).toBeFalsy();
    expect(JSON.parse(textOf(deleted))).toEqual({
      operationId: byAction('delete').id,
      done: true,
      arguments: doomed,
    });
    expect(fake.bindings.map((b) => b.sid)).not.toContain(doomed.sid);
    expect(gone.isError).toBe(true);
    expect(textOf(gone)).toMatch(new RegExp(`^ApiError: .*${statusOf('NotFound')}`));
  });
});

describe('a bad argument is a tool error naming it, its rule and what was given; nothing is sent', () => {
  const sid = parameterOf.FetchServiceBinding.sid;
  const pageSize = parameterOf.ListServiceBinding.pageSize;
  const tooMany = Number(parameterRules.PageSize.maximum) + 1;
  it.each([
    [fetchTool, { ...exampleSids, sid: invalidSids('Sid')['one character short'] }, [sid.key, sid.expected]],
    [fetchTool, { chatServiceSid: exampleSids.chatServiceSid }, [sid.key, sid.expected, 'undefined']],
    [
      listTool,
      { chatServiceSid: exampleSids.chatServiceSid, pageSize: tooMany },
      [pageSize.key, pageSize.expected, String(tooMany)],
    ],
    [fetchTool, { ...exampleSids, sids: ['x'] }, ['"sids"', 'expected only chatServiceSid, sid']],
  ])('%s %j', async (tool, args, said) => {
    const { fake, call, close } = await withFake(1);
    const result = await call(tool, args);
    const sent = fake.requests.length;
    await close();
    expect(result.isError).toBe(true);
    for (const part of said) expect(textOf(result)).toContain(part);
    expect(sent).toBe(0);
  });
});

describe('behind a hostile service: bounded results, no piece of the credential', () => {
  const secrets = [password, basicAuthorization(username, password).slice('Basic '.length)];
  /** A server whose client's service answers `status` and `body` to everything. */
  const hostile = (status: number, body: string, type = jsonType) =>
    connect({
      client: createBindingsClient({
        username,
        password,
        retry: false,
        fetch: (async () =>
          new Response(body, { status, headers: { 'content-type': type } })) as typeof fetch,
      }),
      secrets,
    });

  it('a binding that echoes the credential: masked where it lies, and said where', async () => {
    const echoed = withFields({ identity: `${password} ${basicAuthorization(username, password)}` });
    const { call, close } = await hostile(200, JSON.stringify(echoed));
    const result = await call(fetchTool, exampleSids);
    await close();
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ ...bindingExample, identity: expect.any(String) });
    expect(textOf(result)).toContain('Pieces of the credential were masked at /identity.');
    expectNoPiece(result, username, password);
  });

  it('an error that quotes the credential: the client’s error, masked', async () => {
    const body = { ...errorExample('Unauthorized'), message: `bad credentials ${password}` };
    const { call, close } = await hostile(statusOf('Unauthorized'), JSON.stringify(body));
    const result = await call(fetchTool, exampleSids);
    await close();
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^ApiError: /);
    expectNoPiece(result, username, password);
  });

  it(`a page over ${MAX_RESULT_BYTES} bytes: refused, naming the bound, nothing of it shown`, async () => {
    const big = Array.from({ length: 40 }, (_, i) => ({ ...nthBinding(i), identity: 'x'.repeat(2000) }));
    const page = listPageOf(big, pageUrl(''), null);
    const { call, close } = await hostile(200, JSON.stringify(page));
    const result = await call(listTool, { chatServiceSid: exampleSids.chatServiceSid });
    await close();
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      new RegExp(`over this server's bound of ${MAX_RESULT_BYTES} bytes.*smaller page size`),
    );
    expect(textOf(result).length).toBeLessThan(500);
  });

  it('an answer that is no JSON, with control characters: the client’s violation, bounded and escaped', async () => {
    const { call, close } = await hostile(200, `<html>\u001b[31m${'x'.repeat(100_000)}`, 'text/html');
    const result = await call(fetchTool, exampleSids);
    await close();
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^ContractViolationError: /);
    expect(textOf(result)).not.toContain('\u001b');
    expect(textOf(result).length).toBeLessThan(2000);
  });

  it('a SID sharing a few characters with a hex token is data; one holding the token is masked, as text only', async () => {
    const prefix = exampleSids.sid.slice(0, -password.length);
    const chance = `${prefix}${password.slice(0, 4)}${'0'.repeat(password.length - 4)}`;
    const whole = `${prefix}${password}`;
    for (const sid of [chance, whole])
      if (!keepsRule('Sid', sid)) throw new Error(`${sid} breaks the rule: derive another`);
    const coincidence = await hostile(200, JSON.stringify(withFields({ sid: chance })));
    const kept = await coincidence.call(fetchTool, exampleSids);
    await coincidence.close();
    expect(kept.structuredContent).toMatchObject({ sid: chance });
    const echo = await hostile(200, JSON.stringify(withFields({ sid: whole })));
    const masked = await echo.call(fetchTool, exampleSids);
    await echo.close();
    expect(masked.isError).toBe(true);
    expect(masked.structuredContent).toBeUndefined();
    expect(textOf(masked)).toMatch(
      /^Pieces of the credential were masked at \/sid\. Masked, the answer no longer matches its schema/,
    );
    expectNoPiece(masked, username, password);
  });
});
