// A hostile service cannot make a call hold more than maxResponseBytes, nest JSON deep enough to crash
// it, or make a message carry megabytes; the bytes read are counted at the source.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import type { Validator } from '../../generated/validators.js';
import * as validators from '../../generated/validators.js';
import { DEFAULT_MAX_RESPONSE_BYTES, MAX_JSON_DEPTH } from '../../src/client/body.ts';
import {
  ApiError,
  type Binding,
  type BindingsClientOptions,
  ContractViolationError,
  createBindingsClient,
  InvalidParameterError,
} from '../../src/client/index.ts';
import type { BindingsPage } from '../../src/client/listing.ts';
import { MAX_WALK_MEMORY } from '../../src/client/listing.ts';
import { MAX_VIOLATIONS, MORE_PATH, violationError, violationsFrom } from '../../src/client/response.ts';
import { words } from '../../src/client/said.ts';
import { findingsFrom, MAX_BODY_QUOTE } from '../../src/client/violations.ts';
import {
  bindingExample,
  bindingTypes,
  errorExample,
  exampleAccountSid,
  exampleSids,
  jsonType,
  listPageOf,
  nthBinding,
  pageUrl,
  statusOf,
  valueNotIn,
  withFields,
} from '../support/contract.ts';
import { type FaultServer, startFaultServer } from '../support/fault-server.ts';

const credentials = { username: exampleAccountSid, password: 'hostile-memory-secret' };

/** A fetch answering `status` with a body stream of `chunks` chunks of `size` bytes, counting the ones pulled. */
function streaming(status: number, chunks: number, size = 64 * 1024) {
  let pulled = 0;
  let cancelled = false;
  const fetch = (async () =>
    new Response(
      new ReadableStream({
        pull(controller) {
          if (pulled === chunks) return controller.close();
          pulled++;
          controller.enqueue(new Uint8Array(size).fill(0x61));
        },
        cancel() {
          cancelled = true;
        },
      }),
      { status, headers: { 'content-type': jsonType } },
    )) as typeof globalThis.fetch;
  return { fetch, pulled: () => pulled, cancelled: () => cancelled };
}

describe('maxResponseBytes bounds every body', () => {
  it('a 2xx past it is a ContractViolationError; the read stopped there and the body was let go', async () => {
    const source = streaming(200, 10_000);
    const client = createBindingsClient({
      ...credentials,
      fetch: source.fetch,
      maxResponseBytes: 256 * 1024,
    });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations).toContainEqual({
      path: 'body',
      message: expect.stringContaining('larger than maxResponseBytes'),
    });
    expect(source.pulled()).toBeLessThanOrEqual(6); // 256 KB of 64 KB chunks, and the one that crossed it
    expect(source.cancelled()).toBe(true);
  });

  it('an error status past it is an ApiError with a short, cut body', async () => {
    const source = streaming(502, 10_000);
    const client = createBindingsClient({
      ...credentials,
      fetch: source.fetch,
      maxResponseBytes: 128 * 1024,
      retry: false,
    });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toContain('larger than maxResponseBytes');
    expect(String(error.body).length).toBeLessThanOrEqual(160);
    expect(source.pulled()).toBeLessThanOrEqual(4);
  });

  it('the default is 1 MiB', () => expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(1024 * 1024));

  describe('over a real socket, with a gzip bomb', () => {
    let server: FaultServer;
    let closedEarly = false;
    beforeAll(async () => {
      server = await startFaultServer();
      // An endless gzip stream of spaces: a few KB on the wire inflate to megabytes; decoded, it is what counts.
      server.script((_req, res) => {
        res.writeHead(200, { 'content-type': jsonType, 'content-encoding': 'gzip' });
        const gzip = createGzip();
        gzip.pipe(res);
        const spaces = Buffer.alloc(1024 * 1024, 0x20);
        res.on('close', () => {
          closedEarly = !res.writableFinished;
          gzip.destroy();
        });
        const more = () => {
          while (!res.destroyed && gzip.write(spaces));
          if (!res.destroyed) gzip.once('drain', more);
        };
        more();
      });
    });
    afterAll(() => server.close());

    it('inflates no more than the limit, then drops the connection', async () => {
      const client = createBindingsClient({ ...credentials, baseUrl: server.url, retry: false });
      const error = await client.fetchBinding(exampleSids).catch((e) => e);
      expect(error).toBeInstanceOf(ContractViolationError);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closedEarly).toBe(true);
    });
  });
});

describe('deep JSON', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const answering = (status: number, text: string) =>
    (async () =>
      new Response(text, { status, headers: { 'content-type': jsonType } })) as typeof globalThis.fetch;

  it.each([100_000, MAX_JSON_DEPTH + 1])(
    '%i levels: a ContractViolationError saying so, not "invalid JSON"',
    async (n) => {
      const client = createBindingsClient({ ...credentials, fetch: answering(200, deep(n)) });
      const error = await client.fetchBinding(exampleSids).catch((e) => e);
      expect(error).toBeInstanceOf(ContractViolationError);
      expect(error.violations).toEqual([
        { path: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` },
      ]);
    },
  );

  it(`${MAX_JSON_DEPTH} levels are read (and judged by the schema)`, async () => {
    const client = createBindingsClient({ ...credentials, fetch: answering(200, deep(MAX_JSON_DEPTH)) });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error.violations[0].path).toBe('/');
  });

  it('brackets inside strings do not count', async () => {
    const body = JSON.stringify({ ...bindingExample, identity: '['.repeat(10_000) });
    const client = createBindingsClient({ ...credentials, fetch: answering(200, body) });
    await expect(client.fetchBinding(exampleSids)).resolves.toMatchObject({ identity: '['.repeat(10_000) });
  });
});

describe('huge strings', () => {
  it("a service's multi-megabyte message becomes a short one", async () => {
    const body = JSON.stringify({ ...errorExample('NotFound'), message: 'x'.repeat(2_000_000) });
    const fetch = (async () =>
      new Response(body, {
        status: statusOf('NotFound'),
        headers: { 'content-type': jsonType },
      })) as typeof globalThis.fetch;
    const client = createBindingsClient({ ...credentials, fetch, maxResponseBytes: 8 * 1024 * 1024 });
    const error = await client.fetchBinding(exampleSids).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message.length).toBeLessThan(400);
  });

  it('a 10-million-character SID is refused with a 64-character echo', async () => {
    const client = createBindingsClient(credentials);
    const sid = 'B'.repeat(10_000_000);
    const error = await client.fetchBinding({ ...exampleSids, sid }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.message.length).toBeLessThan(300);
  });

  it('a violation list of thousands names ten in the message and keeps MAX_VIOLATIONS, counting the rest', async () => {
    const bad = Array.from({ length: 5000 }, () => ({ binding_type: 42 })) as unknown as Binding[];
    const page = { bindings: bad, meta: {} };
    const fetch = (async () =>
      new Response(JSON.stringify(page), {
        headers: { 'content-type': jsonType },
      })) as typeof globalThis.fetch;
    const client = createBindingsClient({ ...credentials, fetch });
    const error = await client
      .fetchBindingsPage({ chatServiceSid: exampleSids.chatServiceSid })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.violations.length).toBeLessThanOrEqual(MAX_VIOLATIONS + 1);
    expect(error.message).toMatch(/and \d+ more$/);
    expect(error.message.length).toBeLessThan(3000);
  });
});

describe('many violations', () => {
  const ok = operationFacts.FetchServiceBinding.successStatus;
  /** A real validator error (a value of the wrong type): the shape every error below copies. */
  const [name] = Object.values(Object.values(operationFacts.FetchServiceBinding.success)[0] ?? {});
  const check = (validators as unknown as Record<string, Validator>)[String(name)];
  const wrongType = (() => {
    check?.(withFields({ binding_type: 42 }));
    const [error] = check?.errors ?? [];
    if (!error) throw new Error('the validator found nothing wrong');
    return error;
  })();
  const errorsAt = (locations: number, each = 1) =>
    Array.from({ length: locations * each }, (_, i) => ({
      ...wrongType,
      instancePath: `/x/${Math.floor(i / each)}`,
    }));

  it("a validator's 300,000 errors become MAX_VIOLATIONS entries and one that counts the rest", () => {
    const violations = violationsFrom(errorsAt(300_000), {});
    expect(violations).toHaveLength(MAX_VIOLATIONS + 1);
    expect(violations[MAX_VIOLATIONS]).toEqual({
      path: MORE_PATH,
      message: `${300_000 - MAX_VIOLATIONS} more violations, not listed`,
    });
    const listed = violationError({
      status: ok,
      attempts: 1,
      violations: findingsFrom(errorsAt(300_000), {}),
      body: words('{}'),
      redact: (text: string) => text,
    }).message.split('; ');
    expect(listed.at(-1)).toBe(`and ${300_000 - (listed.length - 1)} more`);
  });

  it('errors at one location count as one', () => {
    const violations = violationsFrom(errorsAt(MAX_VIOLATIONS + 5, 3), {});
    expect(violations.at(-1)).toEqual({ path: MORE_PATH, message: '5 more violations, not listed' });
  });

  it.each([
    ['a binding', 'fetchBinding'],
    ['a list page', 'fetchBindingsPage'],
  ] as const)(
    '125,000 bad values in %s: a ContractViolationError with a bounded list, no RangeError',
    async (_what, method) => {
      const many = Array.from({ length: 125_000 }, () => 1);
      const body =
        method === 'fetchBinding'
          ? withFields({ message_types: many })
          : listPageOf(many as unknown as Binding[], pageUrl(''), null);
      const fetch = (async () =>
        new Response(JSON.stringify(body), {
          headers: { 'content-type': jsonType },
        })) as typeof globalThis.fetch;
      const client = createBindingsClient({ ...credentials, fetch });
      const error = await (method === 'fetchBinding'
        ? client.fetchBinding(exampleSids)
        : client.fetchBindingsPage({ chatServiceSid: exampleSids.chatServiceSid })
      ).catch((e) => e);
      expect(error).toBeInstanceOf(ContractViolationError);
      expect(error.violations.length).toBeLessThanOrEqual(MAX_VIOLATIONS + 1);
    },
  );
});

/** A full collection: `gc`, made available in this process by the flag (Node has it, unexposed). */
const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/**
 * The heap kept by more of the same work, in this process: the heap after `from` steps, then after `to`,
 * each measured once what is pending has run (a response's stream, a timer) and a full collection is
 * done. Two sizes of work compared in one run: what a loaded machine does elsewhere does not count, and
 * what is not kept does not either.
 */
async function heapKept(step: (n: number) => Promise<void>, from: number, to: number): Promise<number> {
  const heap = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  for (let n = 0; n < from; n++) await step(n);
  const before = await heap();
  for (let n = from; n < to; n++) await step(n);
  return (await heap()) - before;
}

describe('a list walk keeps what it remembers within MAX_WALK_MEMORY, whatever the service sends', () => {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const prefix = String(bindingExample.sid).slice(0, 2);

  /**
   * A service that never ends: page n holds `perPage` bindings that carry only a new `sid` each (all the
   * contract requires), `~page~` in each SID template replaced by n's 8 hex digits.
   */
  function endless(perPage: number, sid: (i: number) => string) {
    const bindings: string[] = [];
    for (let i = 0; i < perPage; i++) bindings.push(`{"sid":"${sid(i)}"}`);
    const meta = listPageOf([], pageUrl('Page=~self~'), pageUrl('Page=~next~'), 0).meta;
    const template = `{"bindings":[${bindings.join(',')}],"meta":${JSON.stringify(meta)}}`;
    return (async (input: RequestInfo | URL) => {
      const n = Number(new URL(String(input)).searchParams.get('Page') ?? 0);
      const text = template
        .replaceAll('~page~', hex(n, 8))
        .replace('~self~', String(n))
        .replace('~next~', String(n + 1));
      return new Response(text, { headers: { 'content-type': jsonType } });
    }) as typeof globalThis.fetch;
  }

  /** The heap a walk kept between its page `from` and its page `to` (the walk past its bound by then). */
  async function walkKept(options: Partial<BindingsClientOptions>, from: number, to: number) {
    const client = createBindingsClient({ ...credentials, ...options });
    let page: BindingsPage | undefined;
    const kept = await heapKept(
      async () => {
        page = page
          ? await page.next()
          : await client.fetchBindingsPage({ chatServiceSid: exampleSids.chatServiceSid });
      },
      from,
      to,
    );
    expect(page?.meta.url).toBe(pageUrl(`Page=${to - 1}`));
    return kept;
  }

  it('is a bounded figure, documented', () => expect(MAX_WALK_MEMORY).toBe(2 * 1024 * 1024));

  it('80 more valid pages of 2,300 new SIDs each: the heap does not grow with them', async () => {
    const sid = (i: number) => `${prefix}~page~${hex(i, 24)}`;
    // Past MAX_WALK_MEMORY by page 10 (each page's SIDs are about 0.23 MiB). Without a bound, each page
    // kept its SIDs (at least a byte a character: 78 KB), 6 MiB or more over these pages: half of the
    // least of it is far above any noise.
    const unbounded = 80 * 2_300 * sid(0).length;
    expect(await walkKept({ fetch: endless(2_300, sid) }, 20, 100)).toBeLessThan(unbounded / 2);
  });

  it('12 more pages of 1 MiB holding a few long SIDs each (unvalidated): memory is counted in bytes, not entries', async () => {
    const sid = (i: number) => `${prefix}~page~${hex(i, 24)}${'f'.repeat(4_000)}`;
    // Past MAX_WALK_MEMORY by page 3. Without a bound, each page kept its 1 MiB of SIDs: 12 MiB over these pages.
    const unbounded = 12 * 250 * sid(0).length;
    const kept = await walkKept(
      { fetch: endless(250, sid), validateResponse: false, maxResponseBytes: 2 ** 21 },
      6,
      18,
    );
    expect(kept).toBeLessThan(unbounded / 2);
  });
});

describe('what a reported error keeps is bounded by bytes, not by the page it reports', () => {
  it("keeping every report of 25 pages of 0.9 MiB (the docs' pattern) adds no page per report", async () => {
    // A full page of bindings off the contract in a field, each with a long (valid) identity: 0.9 MiB.
    const offType = valueNotIn(bindingTypes);
    const bindings = Array.from({ length: 100 }, (_, i) =>
      withFields({ sid: nthBinding(i).sid, binding_type: offType, identity: 'i'.repeat(9_000) }),
    );
    const body = JSON.stringify(listPageOf(bindings as Binding[], pageUrl(''), null));
    const fetch = (async () =>
      new Response(body, { headers: { 'content-type': jsonType } })) as typeof globalThis.fetch;
    const reported: ContractViolationError[] = [];
    const client = createBindingsClient({
      ...credentials,
      fetch,
      validateResponse: 'report',
      onViolation: (error) => {
        reported.push(error);
      },
    });
    const kept = await heapKept(
      async () => {
        await client.fetchBindingsPage({ chatServiceSid: exampleSids.chatServiceSid });
      },
      5,
      25,
    );
    expect(reported).toHaveLength(25);
    // A copy of each page (what each report held) is 20 × 0.9 MiB; what a report keeps now is its
    // violations and the binding at fault, cut at MAX_BODY_QUOTE characters.
    expect(String(reported[0]?.body).length).toBeLessThanOrEqual(MAX_BODY_QUOTE + 1);
    expect(kept).toBeLessThan((20 * body.length) / 4);
  });
});
