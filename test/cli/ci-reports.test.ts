// Reports CI shows: the Markdown report, the GitHub job summary and annotations, and --har, from a run of
// verify against a hostile service whose answers carry workflow commands, markup, links and the credentials.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { checks } from '../../src/cli/checks.ts';
import { annotation, boundedSummary, commandData, commandProperty } from '../../src/cli/github.ts';
import { MAX_HAR_BODY_CHARS } from '../../src/cli/har.ts';
import { code } from '../../src/cli/reporters.ts';
import { runVerify } from '../../src/cli/verify-command.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';

const HOSTILE =
  'x\r\n::error title=pwned::injected%0A<script>alert(1)</script>[a](javascript:alert(1)) `|` @here';
const credentials = { BINDINGS_USERNAME: 'ci-user', BINDINGS_PASSWORD: 'Zq7Wm2Xv9Kp4Lt6R' };
const token =
  basicAuthorization(credentials.BINDINGS_USERNAME, credentials.BINDINGS_PASSWORD).split(' ')[1] ?? '';

let server: Server;
let dir: string;
let stdout = '';
let status: number;
const files = { summary: '', har: '', markdown: '' };

beforeAll(async () => {
  // Every answer: a body and a header that quote the hostile text and echo the credentials sent.
  server = createServer((request, response) => {
    const auth = request.headers.authorization ?? '';
    const password =
      Buffer.from(auth.split(' ')[1] ?? '', 'base64')
        .toString()
        .split(':')[1] ?? '';
    response.setHeader('content-type', 'application/json');
    response.setHeader('x-echo', `${auth} ${password}`);
    response.end(
      JSON.stringify({ bindings: HOSTILE, echo: auth, password, pad: 'p'.repeat(MAX_HAR_BODY_CHARS) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(join(tmpdir(), 'ci-reports-'));
  Object.assign(files, {
    summary: join(dir, 'summary.md'),
    har: join(dir, 'run.har'),
    markdown: join(dir, 'report.md'),
  });
  await writeFile(files.summary, '# before\n');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const args = ['--base-url', url, '--seed', '5', '--har', files.har, '--reporter', 'markdown'];
  status = await runVerify(
    [...args, '--output', files.markdown],
    {
      ...credentials,
      GITHUB_STEP_SUMMARY: files.summary,
    },
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: () => {},
    },
  );
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

/** The Markdown with its code spans left out: what a renderer reads as markup. */
const outsideCode = (markdown: string) => markdown.replace(/(`+)(?:(?!\1).)*?\1/g, '');

describe('--reporter markdown and the GitHub job summary', () => {
  it('the summary is appended; it and the report quote the hostile text only inside code spans', async () => {
    expect(status).toBe(1);
    const summary = await readFile(files.summary, 'utf8');
    expect(summary.startsWith('# before\n## ')).toBe(true);
    const markdown = await readFile(files.markdown, 'utf8');
    expect(summary.slice('# before\n'.length)).toBe(markdown);
    expect(markdown).toContain('| check | verdict |');
    expect(markdown).toContain('| operation | check | verdict |');
    for (const op of Object.keys(operationFacts)) expect(markdown).toContain(`| \`${op}\` |`);
    // The hostile text was quoted, and every line of it stays inside one code span.
    expect(markdown).toContain('<script>alert(1)</script>');
    for (const line of markdown.split('\n')) {
      const bare = outsideCode(line);
      for (const markup of ['<', '](', 'javascript', '::', '@here']) expect(bare).not.toContain(markup);
    }
    expect(markdown).not.toMatch(/\r|\n::/);
  });

  it('a code span holds any text: its fence outruns the backticks inside, `|` cannot split a cell', () => {
    expect(code('a ``b`` c')).toBe('```a ``b`` c```');
    expect(code('`x')).toBe('`` `x ``');
    expect(code('a|b\nc')).toBe('`a\\|b\\u000ac`');
  });

  it('one ::error per failing check (::warning for a warning), on its own line; nothing the service sent starts a command', async () => {
    const markdown = await readFile(files.markdown, 'utf8');
    const failing = (markdown.match(/^### /gm) ?? []).length;
    const commands = stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(failing).toBeGreaterThan(0);
    expect(commands).toHaveLength(failing);
    for (const line of commands) expect(line).toMatch(/^::(error|warning) title=[^:,\r]*::[^\r]*$/);
    // The text report quotes it too, mid-line and escaped, where the runner reads no command.
    expect(commands.filter((line) => line.startsWith('::error title=pwned'))).toEqual([]);
    expect(stdout).toContain('::error title=pwned');
    // Decoded as the runner decodes it, the message quotes the service's text, its line breaks as escapes.
    const quoted = commands.find((line) => line.includes('injected'));
    expect(decodeURIComponent(quoted?.slice(quoted.indexOf('::', 2) + 2) ?? '')).toContain(
      'x\\r\\n::error title=pwned::injected%0A<script>alert(1',
    );
  });

  it('escapes data and properties as the workflow-command format says', () => {
    expect(commandData('50%\r\n::x')).toBe('50%25%0D%0A::x');
    expect(commandProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const check = { name: 'n', title: 't', status: 'fail' as const, requests: 1 };
    const evidence = { request: 'GET /', status: 200, problem: 'p\n::warning::x' };
    expect(annotation({ ...check, evidence: [evidence] })).toBe(
      '::error title=bindings-contract verify%3A n::t%0AGET / → 200: p\\u000a::warning::x\n',
    );
  });

  it('the summary is bounded, cut at a line', () => {
    const text = `${'a line\n'.repeat(100)}`;
    const cut = boundedSummary(text, 300);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/^(a line\n)+\n_The summary is cut at 300 bytes/);
    expect(boundedSummary(text, 1000)).toBe(text);
  });
});

/** The HAR 1.2 structure (http://www.softwareishard.com/blog/har-12-spec/): each required field and its type. */
const REQUIRED = {
  log: { version: 'string', creator: 'object', entries: 'array' },
  creator: { name: 'string', version: 'string' },
  entry: {
    startedDateTime: 'string',
    time: 'number',
    request: 'object',
    response: 'object',
    cache: 'object',
    timings: 'object',
  },
  request: {
    method: 'string',
    url: 'string',
    httpVersion: 'string',
    cookies: 'array',
    headers: 'array',
    queryString: 'array',
    headersSize: 'number',
    bodySize: 'number',
  },
  response: {
    status: 'number',
    statusText: 'string',
    httpVersion: 'string',
    cookies: 'array',
    headers: 'array',
    content: 'object',
    redirectURL: 'string',
    headersSize: 'number',
    bodySize: 'number',
  },
  content: { size: 'number', mimeType: 'string' },
  timings: { send: 'number', wait: 'number', receive: 'number' },
  nameValue: { name: 'string', value: 'string' },
} as const;

/** Every violation of REQUIRED in a value, by path; custom fields must start with `_`. */
function harProblems(har: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const check = (value: unknown, shape: keyof typeof REQUIRED, path: string) => {
    const object = value as Record<string, unknown>;
    for (const [key, type] of Object.entries(REQUIRED[shape])) {
      const got = Array.isArray(object?.[key]) ? 'array' : typeof object?.[key];
      if (got !== type) problems.push(`${path}.${key}: ${got}, not ${type}`);
    }
    return object;
  };
  const log = check(har.log, 'log', 'log');
  if (log.version !== '1.2') problems.push('log.version is not 1.2');
  check(log.creator, 'creator', 'log.creator');
  (log.entries as unknown[]).forEach((e, i) => {
    const entry = check(e, 'entry', `entries[${i}]`);
    const allowed = [...Object.keys(REQUIRED.entry), 'pageref', 'serverIPAddress', 'connection', 'comment'];
    for (const key of Object.keys(entry))
      if (!allowed.includes(key) && !key.startsWith('_')) problems.push(`entries[${i}].${key} is not HAR`);
    if (Number.isNaN(Date.parse(entry.startedDateTime as string))) problems.push(`entries[${i}] date`);
    const request = check(entry.request, 'request', `entries[${i}].request`);
    const response = check(entry.response, 'response', `entries[${i}].response`);
    check(response.content, 'content', `entries[${i}].response.content`);
    const timings = check(entry.timings, 'timings', `entries[${i}].timings`) as Record<string, number>;
    const spent = Object.values(timings)
      .filter((t) => t !== -1)
      .reduce((a, b) => a + b, 0);
    if (Math.abs(spent - (entry.time as number)) > 1e-6)
      problems.push(`entries[${i}].time is not its timings' sum`);
    for (const list of [request.headers, request.queryString, response.headers] as unknown[][])
      for (const pair of list) check(pair, 'nameValue', `entries[${i}] header`);
  });
  return problems;
}

describe('verify --har', () => {
  it('a folder given as the file: exit 2 naming --har, before anything is sent', async () => {
    let sent = 0;
    const count = () => sent++;
    server.on('request', count);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const args = ['--base-url', url, '--har', dir];
    const io = { stdout: () => {}, stderr: () => {} };
    await expect(runVerify(args, credentials, io)).rejects.toThrow(/^--har .* is a folder, not a file$/);
    server.off('request', count);
    expect(sent).toBe(0);
  });

  it('is HAR 1.2: every exchange, each naming the check that sent it, no credential anywhere', async () => {
    const text = await readFile(files.har, 'utf8');
    const har = JSON.parse(text);
    expect(harProblems(har)).toEqual([]);
    const entries = har.log.entries as {
      _check: string;
      request: { headers: { name: string; value: string }[] };
      response: { content: { text?: string; comment?: string } };
    }[];
    const markdown = await readFile(files.markdown, 'utf8');
    const judged = [...markdown.matchAll(/^\| `(\w+)` \| \S+ (?:pass|fail) \|/gm)].map((m) => m[1]);
    const sent = judged.filter((name) => checks.find((c) => c.name === name)?.probe);
    expect(sent.length).toBeGreaterThan(5);
    // Each check that judged an answer sent a request the HAR holds, named after it.
    for (const check of new Set(sent)) expect(entries.some((e) => e._check === check)).toBe(true);
    const authorizations = entries.flatMap((e) =>
      e.request.headers.filter((h) => h.name === 'Authorization'),
    );
    expect(authorizations.length).toBeGreaterThan(0);
    for (const h of authorizations) expect(h.value).toBe('Basic [REDACTED]');
    for (const secret of [
      credentials.BINDINGS_PASSWORD,
      token,
      token.slice(-8),
      credentials.BINDINGS_PASSWORD.slice(4, 10),
    ])
      expect(text).not.toContain(secret);
    // The echoed password was masked in each body and header; bodies are cut at the bound, saying so.
    const body = entries[0]?.response.content;
    expect(body?.text).toContain('[REDACTED]');
    expect(body?.text?.length).toBe(MAX_HAR_BODY_CHARS);
    expect(body?.comment).toMatch(new RegExp(`^cut at ${MAX_HAR_BODY_CHARS} of its \\d+ characters$`));
  });
});
