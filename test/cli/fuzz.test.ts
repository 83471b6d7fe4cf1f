// verify --fuzz: single-fault services that only generated input reaches are each caught, and the case
// reported is the minimal one; a faithful service gives no failure over several seeds; the same seed sends
// the same requests; the printed replay command sends exactly the reported case again.
import { describe, expect, it } from 'vitest';
import { parameterOf } from '../../generated/contract.js';
import { serveFake } from '../../src/cli/fake-server.ts';
import { main } from '../../src/cli/main.ts';
import { type BindingsFake, bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { expectNoPiece } from '../hostile/leaks.ts';
import { bindingExample, errorBody, jsonType } from '../support/contract.ts';

const name = (key: keyof typeof parameterOf.ListServiceBinding) => parameterOf.ListServiceBinding[key].name;
const listPathOf = (url: URL) => /\/Bindings$/.test(url.pathname);

/** A stateful fake over HTTP, broken by `fault` (a request it answers its own way, or undefined to let the fake). */
async function service(
  fault?: (
    url: URL,
    request: Request,
    fake: BindingsFake,
  ) => Response | undefined | Promise<Response | undefined>,
) {
  const fake = createBindingsFake({
    bindings: [bindingExample, bindingFor({ identity: 'alice' }), bindingFor({ identity: 'bob' })],
  });
  const requests: string[] = [];
  const served = await serveFake(fake, {
    handle: async (request) => {
      const url = new URL(request.url);
      requests.push(`${request.method} ${url.pathname}${url.search}`);
      return (await fault?.(url, request, fake)) ?? fake.handle(request);
    },
  });
  const env = { BINDINGS_USERNAME: fake.credentials.username, BINDINGS_PASSWORD: fake.credentials.password };
  return { ...served, requests, env, fake };
}

async function fuzz(url: string, env: NodeJS.ProcessEnv, extra: string[] = []) {
  let stdout = '';
  const status = await main(['verify', '--base-url', url, '--fuzz', '40', ...extra], env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => {},
  });
  return { status, stdout };
}

const serverError = () =>
  new Response(JSON.stringify(errorBody(500)), { status: 500, headers: { 'content-type': jsonType } });
/** The reported minimal request of a failed fuzz check, from the text report. */
const minimal = (stdout: string, check: string) => stdout.split(`\n✗ ${check}\n  `)[1]?.split(' → ')[0] ?? '';

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
      const quiet = { stdout: () => {}, stderr: () => {} };
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

describe('reproducible', () => {
  it('the same seed sends the same requests, in the same order; another seed others', async () => {
    const target = await service();
    try {
      const run = async (seed: string) => {
        target.requests.length = 0;
        await fuzz(target.url, target.env, ['--seed', seed, '--max-requests', '150']);
        return [...target.requests];
      };
      const first = await run('21');
      expect(first.length).toBeGreaterThan(100);
      expect(await run('21')).toEqual(first);
      expect(await run('22')).not.toEqual(first);
    } finally {
      await target.close();
    }
  });

  it('the replay command it prints sends exactly the reported case, and the curl line no credential', async () => {
    const broken = await service((url) =>
      listPathOf(url) && url.searchParams.get(name('pageSize')) === '100' ? serverError() : undefined,
    );
    try {
      const { stdout } = await fuzz(broken.url, broken.env, ['--seed', '7']);
      const replay = /replay: bindings-contract (verify .*)$/m.exec(stdout)?.[1]?.split(' ') ?? [];
      const curl = /reproduce: (curl .*)$/m.exec(stdout)?.[1] ?? '';
      expect(curl).toContain('"$BINDINGS_USERNAME:$BINDINGS_PASSWORD"');
      expect(curl).not.toContain(broken.env.BINDINGS_PASSWORD);
      const reported = minimal(stdout, 'fuzz_list');
      broken.requests.length = 0;
      let again = '';
      await main(replay, broken.env, {
        stdout: (t) => {
          again += t;
        },
        stderr: () => {},
      });
      expect(minimal(again, 'fuzz_list')).toBe(reported);
      expect(
        broken.requests.filter((r) => `GET ${r.slice(4)}` === `GET ${reported.slice(4)}`).length,
      ).toBeGreaterThan(0);
    } finally {
      await broken.close();
    }
  });

  it('the replay and curl lines are whole, shell-quoted and name the known binding; a replay skips the other fuzz checks', async () => {
    // A base URL with a long prefix the shell would expand ($(...)): the service serves the fake under it.
    const prefix = `/p$(id)${'a'.repeat(300)}`;
    const broken = await service((url, request, fake) => {
      if (listPathOf(url) && url.searchParams.get(name('pageSize')) === '100') return serverError();
      const inner = new URL(url.href.replace(prefix, ''));
      return fake.handle(new Request(inner, request));
    });
    try {
      const [, doomed] = broken.fake.bindings;
      const base = `${broken.url}${prefix}`;
      const { stdout } = await fuzz(base, broken.env, [
        '--seed',
        '7',
        '--delete-binding-sid',
        String(doomed?.sid),
      ]);
      const replay = /replay: bindings-contract (verify .*)$/m.exec(stdout)?.[1] ?? '';
      const curl = /reproduce: (curl .*)$/m.exec(stdout)?.[1] ?? '';
      expect(curl.length).toBeGreaterThan(300);
      expect(curl).not.toContain('…');
      expect(curl).toContain(`'${base}`);
      expect(replay).toContain(`--base-url '${base}'`);
      for (const flag of ['--chat-service-sid', '--binding-sid', '--delete-binding-sid'])
        expect(replay).toContain(`${flag} `);
      expect(replay).toContain(String(doomed?.sid));
      // Read back as a shell would (the one quoted word unquoted), and run: only the reported case is sent.
      const argv = replay.split(/ (?=(?:[^']*'[^']*')*[^']*$)/).map((w) => w.replace(/^'(.*)'$/, '$1'));
      let again = '';
      const status = await main(argv, broken.env, {
        stdout: (t) => {
          again += t;
        },
        stderr: () => {},
      });
      expect(status, again).toBe(1);
      expect(again).toMatch(/^✗ fuzz_list/m);
      expect(again).toMatch(
        /^○ fuzz_fetch: .*\(skipped: --replay sends only the case of fuzz_list\/valid\)/m,
      );
      expect(again).toMatch(
        /^○ fuzz_delete: .*\(skipped: --replay sends only the case of fuzz_list\/valid\)/m,
      );
    } finally {
      await broken.close();
    }
  });

  it('the curl line sends the URL as verify sent it (percent-encoded, no globbing), with the credential variables in use', async () => {
    const prefix = '/x[1-2]/é';
    const sentPrefix = new URL(`http://h${prefix}`).pathname;
    const broken = await service((url, request, fake) => {
      if (listPathOf(url) && url.searchParams.get(name('pageSize')) === '100') return serverError();
      return fake.handle(new Request(new URL(url.href.replace(sentPrefix, '')), request));
    });
    try {
      const env = {
        TWILIO_ACCOUNT_SID: broken.env.BINDINGS_USERNAME,
        TWILIO_AUTH_TOKEN: broken.env.BINDINGS_PASSWORD,
      };
      const { stdout } = await fuzz(`${broken.url}${prefix}`, env, ['--seed', '7', '--timeout-ms', '5000']);
      const replay = /replay: bindings-contract (verify .*)$/m.exec(stdout)?.[1] ?? '';
      const curl = /reproduce: (curl .*)$/m.exec(stdout)?.[1] ?? '';
      expect(curl).toMatch(/^curl -g -u "\$TWILIO_ACCOUNT_SID:\$TWILIO_AUTH_TOKEN" /);
      expect(curl).toContain(`'${broken.url}${sentPrefix}`);
      expect(replay).toContain(`--base-url '${broken.url}${sentPrefix}'`);
      expect(replay).toContain('--timeout-ms 5000');
    } finally {
      await broken.close();
    }
  });

  it.each([
    ['fuzz_nothing/valid:1', /must be CHECK\/KIND:PATH/],
    ['fuzz_list/other:1', /must be CHECK\/KIND:PATH/],
    ['list_bindings/valid:1', /must be CHECK\/KIND:PATH/],
    ['fuzz_list/valid/extra:0:0:1', /must be CHECK\/KIND:PATH/],
    ['fuzz_list/valid:99999999999999999999', /must be CHECK\/KIND:PATH/],
    // --fuzz 4 makes 2 valid and 2 invalid cases: a case past them names no case of this run.
    ['fuzz_list/valid:100000000', /names case 100000000, but --fuzz 4 makes 2 valid cases/],
    ['fuzz_list/invalid:2', /makes 2 invalid cases/],
    [`fuzz_list/valid:0:${'0:'.repeat(600)}0`, /at most 500 shrink steps/],
    ['fuzz_list/valid:0:5000', /each at most 1000/],
    ['fuzz_delete/valid:1', /needs --delete-binding-sid/],
  ])(
    '--replay %s: exit 2 naming what is wrong, nothing sent (fast-check would walk the path where no timer stops it)',
    async (value, message) => {
      const target = await service();
      try {
        let stderr = '';
        const status = await main(
          ['verify', '--base-url', target.url, '--fuzz', '4', '--seed', '1', '--replay', value],
          target.env,
          {
            stdout: () => {},
            stderr: (t) => {
              stderr += t;
            },
          },
        );
        expect(status).toBe(2);
        expect(stderr).toMatch(message);
        expect(target.requests).toEqual([]);
      } finally {
        await target.close();
      }
    },
  );

  it('--replay with a path fast-check cannot follow: the check says so (verify could not run it), exit 3', async () => {
    const target = await service();
    try {
      const { status, stdout } = await fuzz(target.url, target.env, [
        '--seed',
        '1',
        '--replay',
        'fuzz_list/valid:0:999:999',
      ]);
      expect(status, stdout).toBe(3);
      expect(stdout).toContain('names no case of --seed 1 with --fuzz 40');
    } finally {
      await target.close();
    }
  });

  it('a case answered 429 on every try is not judged, and its check says so rather than pass', async () => {
    let fixed = Number.POSITIVE_INFINITY;
    const busy = await service((url) =>
      listPathOf(url) && busy.requests.length > fixed
        ? new Response(JSON.stringify(errorBody(429)), {
            status: 429,
            headers: { 'content-type': jsonType, 'retry-after': '0' },
          })
        : undefined,
    );
    try {
      const quiet = { stdout: () => {}, stderr: () => {} };
      expect(await main(['verify', '--base-url', busy.url, '--seed', '9'], busy.env, quiet)).toBe(0);
      fixed = busy.requests.length * 2;
      const { stdout } = await fuzz(busy.url, busy.env, ['--seed', '9', '--fuzz', '6']);
      expect(stdout).toMatch(
        /^○ fuzz_list: .*\(skipped: 0 of 6 cases judged; 6 still answered 429 after 4 tries\)/m,
      );
    } finally {
      await busy.close();
    }
  });

  it('a run stopped by --max-time leaves its fuzz checks unfinished, never passed', async () => {
    const slow = await service(async (url) => {
      if (listPathOf(url) && url.search.length > 1) await new Promise((resolve) => setTimeout(resolve, 50));
      return undefined;
    });
    try {
      const { status, stdout } = await fuzz(slow.url, slow.env, ['--seed', '10', '--max-time', '0.4']);
      expect(status, stdout).toBe(1);
      expect(stdout).not.toMatch(/^✓ fuzz_/m);
      expect(stdout).toMatch(/^✗ fuzz_list/m);
    } finally {
      await slow.close();
    }
  });

  it('--max-requests bounds what the fuzz checks send', async () => {
    const target = await service();
    try {
      const before = target.requests.length;
      const { status, stdout } = await fuzz(target.url, target.env, ['--seed', '8', '--max-requests', '20']);
      const sent = target.requests.length - before;
      // A fuzz check whose cases were not all sent did not run as asked: skipped, saying so, never passed.
      expect(status, stdout).toBe(0);
      expect(stdout).not.toMatch(/^✓ fuzz_/m);
      expect(stdout).toMatch(
        /^○ fuzz_list: .*\(skipped: \d+ of \d+ cases judged; \d+ not sent within --max-requests 20\)/m,
      );
      expect(stdout).toMatch(/^○ fuzz_fetch: .*\(skipped: 0 of \d+ cases judged/m);
      // The fixed checks' requests, plus at most 20 of the fuzz checks'.
      const fixed = await (async () => {
        const plain = await service();
        try {
          await main(['verify', '--base-url', plain.url, '--seed', '8'], plain.env, {
            stdout: () => {},
            stderr: () => {},
          });
          return plain.requests.length;
        } finally {
          await plain.close();
        }
      })();
      expect(sent - fixed).toBeLessThanOrEqual(20);
    } finally {
      await target.close();
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
