// The MCP server over Streamable HTTP, in this process: the SDK's own Client lists and calls the tools at
// /mcp; a request naming another host, from a foreign origin, or without the bearer token is refused
// before the server reads it, and no refusal echoes the token.
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBindingsClient } from '../../src/client/index.ts';
import { type HttpServing, MAX_REQUEST_BYTES, type Policy, refusal, serveHttp } from '../../src/mcp/http.ts';
import { createMcpServer } from '../../src/mcp/server.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import { exampleSids } from '../support/contract.ts';
import { byAction, connect, toolNameOf } from './support.ts';

const token = 'mcp-bearer-token-0123456789abcdef';
const fake = createBindingsFake();
const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
let open: HttpServing;
let guarded: HttpServing;
const logged: string[] = [];

beforeAll(async () => {
  const mcp = await createMcpServer({ client, openWorld: false, secrets: [token] });
  const serve = (policy: Policy) =>
    serveHttp({ mcp, host: '127.0.0.1', port: 0, policy, redact: mcp.redact, log: (l) => logged.push(l) });
  open = await serve({ hosts: [], origins: ['https://app.example'] });
  guarded = await serve({ hosts: [], origins: [], token });
});
afterAll(async () => {
  await open?.close();
  await guarded?.close();
});

async function sdkClient(url: string, headers: Record<string, string> = {}) {
  const mcp = new Client({ name: 'bindings-contract-tests', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return mcp;
}

/** A raw POST of an initialize request, with the headers given (Host included), as a browser or curl sends it. */
function post(url: string, headers: Record<string, string>, path = '/mcp', method = 'POST') {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>(
    (resolve, reject) => {
      const req = request(
        {
          hostname,
          port,
          path,
          method,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            host: `${hostname}:${port}`,
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        },
      );
      req.on('error', reject);
      req.end(method === 'POST' ? body : undefined);
    },
  );
}

describe('over Streamable HTTP at /mcp', () => {
  it('the SDK client lists the same tools as in-process, and calls one', async () => {
    const mcp = await sdkClient(open.url);
    const { tools } = await mcp.listTools();
    const fetched = await mcp.callTool({ name: toolNameOf(byAction('fetch')), arguments: exampleSids });
    await mcp.close();
    const local = await connect({ client, openWorld: false });
    const expected = (await local.client.listTools()).tools;
    await local.close();
    expect(tools).toEqual(expected);
    expect(fetched.isError).toBeFalsy();
    expect(fetched.structuredContent).toMatchObject({ sid: exampleSids.sid });
  });

  it('answers requests sent at once, each on its own (no session holds them together)', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => post(open.url, {})));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const answer of answers) expect(answer.headers['mcp-session-id']).toBeUndefined();
  });

  it.each([
    [
      'a foreign Origin',
      { origin: 'http://evil.example' },
      403,
      /Forbidden: the Origin "http:\/\/evil\.example"/,
    ],
    ['the Origin null', { origin: 'null' }, 403, /Origin "null"/],
    ['a Host of another name', { host: 'evil.example' }, 403, /Host header "evil\.example"/],
  ])('refuses %s (DNS rebinding protection) before reading the request', async (_, headers, status, said) => {
    const answer = await post(open.url, headers);
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.text)).toMatchObject({
      jsonrpc: '2.0',
      error: { message: expect.stringMatching(said) },
      id: null,
    });
  });

  it.each([
    ['a loopback Origin on any port', { origin: 'http://localhost:5173' }],
    ['an Origin given with --allow-origin', { origin: 'https://app.example' }],
    ['no Origin (not a browser)', {}],
  ])('accepts %s', async (_, headers) => {
    expect((await post(open.url, headers)).status).toBe(200);
  });

  it(`refuses a body past ${MAX_REQUEST_BYTES} bytes (413) unread`, async () => {
    const answer = await fetch(open.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: `[${' '.repeat(MAX_REQUEST_BYTES)}]`,
    });
    expect(answer.status).toBe(413);
  });

  it('answers only POST at /mcp: another path is 404, GET is 405 (no session, no stream)', async () => {
    expect((await post(open.url, {}, '/other')).status).toBe(404);
    const get = await post(open.url, {}, '/mcp', 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });
});

describe('with a bearer token (--token-env)', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: `Bearer ${token.slice(0, -1)}x` }],
    ['the token under another scheme', { authorization: `Basic ${token}` }],
  ])('refuses %s: 401 with WWW-Authenticate, the token never echoed', async (_, headers) => {
    const answer = await post(guarded.url, headers);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(answer.text).not.toContain(token.slice(0, 8));
  });

  it('the SDK client with the token connects; without it, it cannot', async () => {
    await expect(sdkClient(guarded.url)).rejects.toThrow();
    const mcp = await sdkClient(guarded.url, { authorization: `Bearer ${token}` });
    expect((await mcp.listTools()).tools.length).toBeGreaterThan(0);
    await mcp.close();
  });

  it('a refusal quoting a header that holds the token masks it', async () => {
    const answer = await post(guarded.url, { host: `${token}.example` });
    expect(answer.status).toBe(403);
    expect(answer.text).not.toMatch(new RegExp(token.slice(4, 12)));
    expect(logged.join('\n')).not.toContain(token.slice(4, 12));
  });
});

describe('refusal(): the checks, each in a line', () => {
  const policy = { hosts: ['mcp.internal'], origins: ['https://app.example'], port: 4011 };
  const of = (
    headers: Record<string, string>,
    url = '/mcp',
    more: Partial<typeof policy & { token: string }> = {},
  ) => refusal({ url, headers }, { ...policy, ...more }, (t) => t)?.status;
  it.each([
    [{ host: 'localhost:4011' }, undefined],
    [{ host: '127.0.0.1:4011' }, undefined],
    [{ host: '[::1]:4011' }, undefined],
    [{ host: 'mcp.internal:4011' }, undefined],
    [{ host: 'MCP.INTERNAL:4011' }, undefined],
    [{ host: 'localhost:4012' }, 403],
    [{ host: 'localhost' }, 403],
    [{ host: 'evil.example:4011' }, 403],
    [{ host: 'localhost:4011@evil.example' }, 403],
    [{}, 403],
    [{ host: 'localhost:4011', origin: 'https://127.0.0.1:8443' }, undefined],
    [{ host: 'localhost:4011', origin: 'https://app.example' }, undefined],
    [{ host: 'localhost:4011', origin: 'https://app.example.evil' }, 403],
    [{ host: 'localhost:4011', origin: 'http://localhost.evil.example' }, 403],
    [{ host: 'localhost:4011', origin: 'file://' }, 403],
  ])('%j → %s', (headers, status) => {
    expect(of(headers)).toBe(status);
  });
  it('another path is 404 whatever the headers', () => {
    expect(of({ host: 'localhost:4011' }, '/mcp/x')).toBe(404);
    expect(of({ host: 'localhost:4011' }, '/mcp?x=1')).toBeUndefined();
  });
  it('a token: only `Bearer <it>` passes', () => {
    const more = { token: 'x'.repeat(16) };
    expect(
      of({ host: 'localhost:4011', authorization: `bearer ${'x'.repeat(16)}` }, '/mcp', more),
    ).toBeUndefined();
    expect(of({ host: 'localhost:4011', authorization: `Bearer ${'x'.repeat(15)}` }, '/mcp', more)).toBe(401);
  });
});
