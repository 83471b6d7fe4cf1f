// verify --fuzz: single-fault services that only generated input reaches are each caught, and the case
// reported is the minimal one; a faithful service gives no failure over several seeds; a hostile service
// cannot crash a fuzz check or leak a credential through it.
import { describe, expect, it } from 'vitest';
import { encodeCase, MAX_FUZZ_TARGET } from '../../src/cli/fuzz.ts';
import { main } from '../../src/cli/main.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import { expectNoPiece } from '../hostile/leaks.ts';
import { bindingExample, errorBody, jsonType, listPath } from '../support/contract.ts';
import { inProcessFetch } from '../support/in-process.ts';
import { fuzz, listPathOf, minimal, name, serverError, service } from './fuzz-service.ts';

describe('single-fault services are caught, and the case reported is the minimal one', () => {
  it.each([
    [
      'a 500 for one parameter value (BindingType fcm)',
      (url: URL) =>
        listPathOf(url) && url.searchParams.getAll(name('bindingType')).includes('fcm')
          ? serverError()
          : undefined,
      new RegExp(`\\?${name('bindingType')}=fcm$`),
    ],
    [
      'a 500 at a boundary (PageSize 100)',
      (url: URL) =>
        listPathOf(url) && url.searchParams.get(name('pageSize')) === '100' ? serverError() : undefined,
      new RegExp(`\\?${name('pageSize')}=100$`),
    ],
    [
      'a 500 for three values of one parameter',
      (url: URL) =>
        listPathOf(url) && url.searchParams.getAll(name('bindingType')).length >= 3
          ? serverError()
          : undefined,
      new RegExp(`\\?(${name('bindingType')}=apn&?){3}$`),
    ],
    [
      'an invalid value answered 200 (a negative Page)',
      async (url: URL, request: Request) => {
        if (!listPathOf(url) || !/^-/.test(url.searchParams.get(name('page')) ?? '')) return undefined;
        url.searchParams.delete(name('page'));
        return createBindingsFake({ bindings: [bindingExample] }).handle(new Request(url, request));
      },
      new RegExp(`\\?${name('page')}=-1$`),
    ],
  ])('%s', { timeout: 60_000 }, async (_what, fault, reported) => {
    for (const seed of ['1']) {
      const broken = await service(fault);
      try {
        const { status, stdout } = await fuzz(broken.url, broken.env, ['--seed', seed]);
        expect(status, stdout).toBe(1);
        // The finding names the operation its case was generated for.
        expect(stdout).toContain('\n✗ fuzz_list\n  ListServiceBinding: GET ');
        expect(minimal(stdout, 'fuzz_list'), `seed ${seed}`).toMatch(reported);
      } finally {
        await broken.close();
      }
    }
  });

  it('a filter ignored for some values (an identity outside ASCII): caught by what the page lists', async () => {
    const broken = await service((url, request, fake) => {
      if (!listPathOf(url) || !url.searchParams.getAll(name('identity')).some((v) => /[^\x20-\x7e]/.test(v)))
        return undefined;
      url.searchParams.delete(name('identity'));
      return fake.handle(new Request(url, request));
    });
    try {
      const { status, stdout } = await fuzz(broken.url, broken.env, ['--seed', '3']);
      expect(status).toBe(1);
      expect(stdout).toContain('on a list filtered by identity');
      expect(decodeURIComponent(minimal(stdout, 'fuzz_list'))).toMatch(
        new RegExp(`\\?${name('identity')}=[^\\x20-\\x7e]$`, 'u'),
      );
    } finally {
      await broken.close();
    }
  });

  it('a 500 for an Identity of 50 characters or more (the contract sets no maxLength): caught within --fuzz 100, the minimal case exactly 50', async () => {
    // 50 is this test's fault, not a fact of the contract: lengths are counted in code points, as JSON Schema does.
    const length = (v: string) => [...v].length;
    const broken = await service((url) =>
      listPathOf(url) && url.searchParams.getAll(name('identity')).some((v) => length(v) >= 50)
        ? serverError()
        : undefined,
    );
    try {
      const { status, stdout } = await fuzz(broken.url, broken.env, ['--seed', '1', '--fuzz', '100']);
      expect(status, stdout).toBe(1);
      // The curl line holds the whole URL (the request line's quote is cut at 200 characters).
      const found = stdout.split('\n✗ fuzz_list\n')[1] ?? '';
      const curl = /reproduce: curl .* '?(http[^' ]+)'?$/m.exec(found)?.[1] ?? '';
      expect(found).toMatch(/the minimal valid case \(found at case \d+, shrunk \d+ times; confirmed/);
      expect(new URL(curl).searchParams.getAll(name('identity')).map(length)).toEqual([50]);
      // Long values were sent (the old generator stopped at 16 characters), each case within the bound on a
      // URL's path and query.
      const targets = broken.requests.map((r) => r.slice(r.indexOf(' ') + 1));
      const identities = targets.flatMap((t) =>
        new URL(t, broken.url).searchParams.getAll(name('identity')).map(length),
      );
      expect(Math.max(...identities)).toBeGreaterThan(100);
      expect(Math.max(...targets.map((t) => t.length))).toBeLessThanOrEqual(MAX_FUZZ_TARGET);
    } finally {
      await broken.close();
    }
  });

  it('a case whose path and query would pass MAX_FUZZ_TARGET is not sent (the URL a server must accept)', () => {
    const sid = String(bindingExample.chat_service_sid);
    const fits = (n: number) =>
      encodeCase('ListServiceBinding', {
        valid: true,
        params: { chatServiceSid: sid, identity: ['x'.repeat(n)] },
      });
    const made = fits(100);
    const room = MAX_FUZZ_TARGET - (made ? `${listPath}?${made.query}`.length : 0) + 100;
    expect(fits(room - 20)).toBeDefined();
    expect(fits(room + 20)).toBeUndefined();
  });

  it('a faithful service gives no failure over several seeds', async () => {
    const faithful = await service();
    try {
      for (const seed of ['4', '5']) {
        const { status, stdout } = await fuzz(faithful.url, faithful.env, ['--seed', seed]);
        expect(status, stdout).toBe(0);
      }
    } finally {
      await faithful.close();
    }
  });

  it('a fault is reported once by the checks over the run, not once per shrinking step', async () => {
    const broken = await service((url) =>
      listPathOf(url) && url.searchParams.get(name('pageSize')) === '100' ? serverError() : undefined,
    );
    try {
      const { stdout } = await fuzz(broken.url, broken.env, ['--seed', '1']);
      const shrinks = Number(/shrunk (\d+) times/.exec(stdout)?.[1]);
      expect(shrinks).toBeGreaterThan(2);
      // The first failing case of each kind (valid, invalid), and none of the steps that shrank them.
      const during = stdout.match(/server error 500 \(during fuzz_list\)/g) ?? [];
      expect(during.length).toBeGreaterThan(0);
      expect(during.length).toBeLessThanOrEqual(2);
    } finally {
      await broken.close();
    }
  });

  it('fuzz_delete runs only with --delete-binding-sid, and never deletes the known binding', async () => {
    const target = await service();
    try {
      const [, doomed] = target.fake.bindings;
      const { status, stdout } = await fuzz(target.url, target.env, [
        '--seed',
        '3',
        '--delete-binding-sid',
        String(doomed?.sid),
      ]);
      expect(status, stdout).toBe(0);
      expect(stdout).toMatch(/^✓ fuzz_delete/m);
      const deletes = target.requests.filter((r) => r.startsWith('DELETE '));
      expect(deletes.length).toBeGreaterThan(10);
      expect(target.fake.bindings.map((b) => b.sid)).toContain(bindingExample.sid);
      expect(deletes.some((r) => r.includes(String(bindingExample.sid)))).toBe(false);
    } finally {
      await target.close();
    }
  });

  it('a 429 is waited out (its Retry-After), not a failure: the case is sent again', async () => {
    let limited = 0;
    let fixed = Number.POSITIVE_INFINITY;
    // Only the fuzz checks' requests are limited: they come after those the fixed checks send.
    const busy = await service((url) => {
      if (!listPathOf(url) || busy.requests.length <= fixed || limited >= 3) return undefined;
      limited++;
      return new Response(JSON.stringify(errorBody(429)), {
        status: 429,
        headers: { 'content-type': jsonType, 'retry-after': '0' },
      });
    });
    try {
      const quiet = { stdout: () => {}, stderr: () => {}, fetch: inProcessFetch };
      expect(await main(['verify', '--base-url', busy.url, '--seed', '7'], busy.env, quiet)).toBe(0);
      fixed = busy.requests.length * 2;
      const { status, stdout } = await fuzz(busy.url, busy.env, ['--seed', '7', '--fuzz', '20']);
      expect(status, stdout).toBe(0);
      expect(limited).toBe(3);
      expect(stdout).toMatch(/^✓ fuzz_list/m);
    } finally {
      await busy.close();
    }
  });
});

describe('a hostile service', () => {
  it('echoing the credentials into a filtered page: reported, with no piece of them and bounded lines', async () => {
    const hostile = await service((url, request) => {
      if (!listPathOf(url) || !url.searchParams.has(name('identity'))) return undefined;
      const [user = '', pass = ''] = atob(
        (request.headers.get('authorization') ?? '').replace(/^Basic /, ''),
      ).split(':');
      const echoed = { ...bindingExample, identity: `${pass}${'x'.repeat(5_000)}${user}` };
      const body = { bindings: [echoed], meta: { page_size: 50, next_page_url: null } };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': jsonType } });
    });
    try {
      const { status, stdout } = await fuzz(hostile.url, hostile.env, ['--seed', '3', '--fuzz', '30']);
      expect(status, stdout).toBe(1);
      expect(stdout).toContain('on a list filtered by identity');
      expectNoPiece(stdout, hostile.env.BINDINGS_USERNAME, hostile.env.BINDINGS_PASSWORD);
      for (const line of stdout.split('\n')) expect(line.length).toBeLessThan(5_000);
    } finally {
      await hostile.close();
    }
  });

  it('a blank 200 answer to a list: a failure of the fuzz check, not a crash', async () => {
    const blank = await service((url) =>
      listPathOf(url) && url.search.length > 1
        ? new Response('', { status: 200, headers: { 'content-type': jsonType } })
        : undefined,
    );
    try {
      const { status, stdout } = await fuzz(blank.url, blank.env, ['--seed', '2', '--fuzz', '10']);
      expect(status, stdout).toBe(1);
      expect(stdout).toMatch(/^✗ fuzz_list/m);
    } finally {
      await blank.close();
    }
  });
});
