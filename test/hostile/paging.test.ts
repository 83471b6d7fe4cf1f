// A list that never ends: next_page_url that varies while the bindings repeat, an endless run of new
// pages (bounded by maxPages), and a caller retrying page.next() after a transient failure. Requests
// are counted, never timed.
import { describe, expect, it } from 'vitest';
import { parameterOf } from '../../generated/contract.js';
import {
  type BindingsClientOptions,
  ContractViolationError,
  createBindingsClient,
  NetworkError,
} from '../../src/client/index.ts';
import { DEFAULT_MAX_PAGES } from '../../src/client/listing.ts';
import {
  exampleAccountSid,
  exampleSids,
  jsonType,
  listPageOf,
  nthBinding,
  pageUrl,
} from '../support/contract.ts';

const credentials = { username: exampleAccountSid, password: 'Qx7Zv9Lk2Rt5Wp8Jm4' };
const page = parameterOf.ListServiceBinding.page.name;
const service = { chatServiceSid: exampleSids.chatServiceSid };

/** A fetch answering the i-th request (from 0) with `answer(i)`, and counting them. */
function scripted(answer: (i: number) => unknown) {
  let requests = 0;
  const fetch = (async () => {
    const body = answer(requests++);
    if (body instanceof Error) throw body;
    return new Response(JSON.stringify(body), { headers: { 'content-type': jsonType } });
  }) as typeof globalThis.fetch;
  return { fetch, requests: () => requests };
}

const client = (fetch: typeof globalThis.fetch, options: Partial<BindingsClientOptions> = {}) =>
  createBindingsClient({ ...credentials, fetch, retry: false, ...options });

/** Drains a list, returning how it ended. */
async function drain(iterable: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of iterable);
    return 'ended';
  } catch (error) {
    return error;
  }
}

describe('a next page whose URL varies while its bindings repeat', () => {
  it.each([
    ['a nonce added', (i: number) => pageUrl(`${page}=1&n=${i}`)],
    ['the page number padded with zeros', (i: number) => pageUrl(`${page}=${'0'.repeat(i)}1`)],
    ['ampersands added', (i: number) => pageUrl(`${page}=0${'&'.repeat(i + 1)}`)],
  ])(
    '%s: a ContractViolationError naming the repeated binding, after the second page',
    async (_how, next) => {
      const served = scripted((i) => listPageOf([nthBinding(0)], pageUrl(''), next(i)));
      const ending = await drain(client(served.fetch).listBindings(service));
      expect(ending).toBeInstanceOf(ContractViolationError);
      expect((ending as ContractViolationError).violations[0]?.path).toBe('/bindings/0/sid');
      expect(served.requests()).toBe(2);
    },
  );

  it('a binding repeated within one page is a repeat too', async () => {
    const served = scripted(() =>
      listPageOf([nthBinding(0), nthBinding(1), nthBinding(0)], pageUrl(''), null),
    );
    const ending = await drain(client(served.fetch).listBindings(service));
    expect((ending as ContractViolationError).violations[0]?.path).toBe('/bindings/2/sid');
  });
});

describe('bindings without a sid (the contract allows null)', () => {
  it('are yielded, and never taken for a repeat of one another', async () => {
    const anonymous = { ...nthBinding(0), sid: null };
    const served = scripted((i) =>
      listPageOf(
        [anonymous, anonymous, nthBinding(i)],
        pageUrl(`${page}=${i}`),
        i ? null : pageUrl(`${page}=1`),
      ),
    );
    const sids: unknown[] = [];
    for await (const binding of client(served.fetch).listBindings(service)) sids.push(binding.sid);
    expect(sids).toEqual([null, null, nthBinding(0).sid, null, null, nthBinding(1).sid]);
  });
});

describe('maxPages', () => {
  /** A list of new bindings that never ends: page i holds binding i and points at page i + 1. */
  const endless = () =>
    scripted((i) => listPageOf([nthBinding(i)], pageUrl(`${page}=${i}`), pageUrl(`${page}=${i + 1}`), i));

  it('stops a walk after that many pages, saying what was crossed', async () => {
    const served = endless();
    const ending = await drain(client(served.fetch, { maxPages: 3 }).listBindings(service));
    expect(ending).toBeInstanceOf(ContractViolationError);
    expect((ending as ContractViolationError).violations).toEqual([
      { path: '/meta/next_page_url', message: expect.stringContaining('maxPages (3)') },
    ]);
    expect(served.requests()).toBe(3);
  });

  it('holds for page.next() as for listBindings', async () => {
    const served = endless();
    const first = await client(served.fetch, { maxPages: 2 }).fetchBindingsPage(service);
    const second = await first.next();
    await expect(second?.next()).rejects.toBeInstanceOf(ContractViolationError);
    expect(served.requests()).toBe(2);
  });

  it(`is ${DEFAULT_MAX_PAGES} pages by default`, async () => {
    /** The page number in the template, replaced by each page's own. */
    const PAGE = 987_654_321;
    // Each page's text made from one template, numbered (endless() builds and serialises each page whole):
    // pages are what is counted, and each costs little but the walk's own work.
    const text = JSON.stringify(
      listPageOf(
        [{ ...nthBinding(0), sid: '~sid~' }],
        pageUrl(`${page}=~self~`),
        pageUrl(`${page}=~next~`),
        -1,
      ),
    );
    let requests = 0;
    const served = {
      fetch: (async () => {
        const n = requests++;
        const body = text
          .replace('~sid~', String(nthBinding(n).sid))
          .replace('~self~', String(n))
          .replace('~next~', String(n + 1))
          .replace(String(PAGE), String(n));
        return new Response(body, { headers: { 'content-type': jsonType } });
      }) as typeof globalThis.fetch,
      requests: () => requests,
    };
    const ending = await drain(client(served.fetch, { validateResponse: false }).listBindings(service));
    expect(ending).toBeInstanceOf(ContractViolationError);
    expect(served.requests()).toBe(DEFAULT_MAX_PAGES);
  });

  it.each([0, -1, 1.5, Number.NaN, '10'])('%j is refused, naming the option', (maxPages) => {
    expect(() => createBindingsClient({ ...credentials, maxPages } as BindingsClientOptions)).toThrow(
      /option maxPages must be an integer ≥ 1/,
    );
  });
});

describe('page.next() tried again after a transient failure', () => {
  it('fetches the page it failed to: a failed request is no page of the walk', async () => {
    const served = scripted((i) =>
      i === 1
        ? new TypeError('fetch failed')
        : listPageOf([nthBinding(i)], pageUrl(`${page}=${i}`), i === 0 ? pageUrl(`${page}=1`) : null, i),
    );
    const first = await client(served.fetch).fetchBindingsPage(service);
    await expect(first.next()).rejects.toBeInstanceOf(NetworkError);
    const second = await first.next();
    expect(second?.bindings).toEqual([nthBinding(2)]);
    expect(served.requests()).toBe(3);
  });
});

describe('page.next() called again (a double click, a re-render, a retry)', () => {
  it('asks for the same page again, concurrently or after it came: no false "repeats a page"', async () => {
    const served = scripted((i) => {
      // Requests 1-3 all ask for the second page; then the third.
      const at = Math.min(i, 1) + (i >= 4 ? 1 : 0);
      return listPageOf(
        [nthBinding(at)],
        pageUrl(`${page}=${at}`),
        at < 2 ? pageUrl(`${page}=${at + 1}`) : null,
        at,
      );
    });
    const first = await client(served.fetch).fetchBindingsPage(service);
    const [a, b] = await Promise.all([first.next(), first.next()]);
    const c = await first.next();
    for (const again of [b, c]) expect(again?.bindings).toEqual(a?.bindings);
    expect(a?.bindings).toEqual([nthBinding(1)]);
    expect(served.requests()).toBe(4);
    // The walk goes on from any of them; nothing is kept per call (each call is its own request).
    const third = await c?.next();
    expect(third?.bindings).toEqual([nthBinding(2)]);
    await expect(third?.next()).resolves.toBeUndefined();
  });

  it("each call honours its own signal: one caller's abort is not another's", async () => {
    const served = scripted((i) =>
      listPageOf([nthBinding(i && 1)], pageUrl(`${page}=${i && 1}`), i ? null : pageUrl(`${page}=1`)),
    );
    const first = await client(served.fetch).fetchBindingsPage(service);
    const aborted = AbortSignal.abort(new Error('the caller gave up'));
    const [gaveUp, waited] = await Promise.allSettled([first.next({ signal: aborted }), first.next()]);
    expect(gaveUp).toMatchObject({ status: 'rejected', reason: { message: 'the caller gave up' } });
    expect(waited).toMatchObject({ status: 'fulfilled', value: { bindings: [nthBinding(1)] } });
  });

  it('a page that broke the contract, asked for again, is blamed for the same thing', async () => {
    // The second page repeats the first page's binding: a violation each time it is fetched.
    const served = scripted((i) =>
      listPageOf([nthBinding(0)], pageUrl(`${page}=${i && 1}`), i ? null : pageUrl(`${page}=1`)),
    );
    const first = await client(served.fetch).fetchBindingsPage(service);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await first.next().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractViolationError);
      expect((error as ContractViolationError).violations[0]?.path).toBe('/bindings/0/sid');
    }
  });
});
