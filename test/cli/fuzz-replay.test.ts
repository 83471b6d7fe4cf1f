// verify --fuzz, reproducible: the same seed sends the same requests; the printed replay and curl lines
// send exactly the reported case again; --replay is checked before anything is sent; cases not judged
// (rate limited, over --max-requests, a stopped run) are never a pass.
import { describe, expect, it } from 'vitest';
import { FUZZ_CONFIRMATIONS } from '../../src/cli/fuzz.ts';
import { main } from '../../src/cli/main.ts';
import { errorBody, jsonType } from '../support/contract.ts';
import { inProcessFetch } from '../support/in-process.ts';
import { fuzz, listPathOf, minimal, name, serverError, service } from './fuzz-service.ts';

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
        fetch: inProcessFetch,
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
        fetch: inProcessFetch,
      });
      expect(status, again).toBe(1);
      expect(again).toMatch(/^✗ fuzz_list/m);
      expect(again).toMatch(
        /^○ fuzz_fetch: .*\(skipped: --replay sends only the case of fuzz_list\/ListServiceBinding\/valid\)/m,
      );
      expect(again).toMatch(
        /^○ fuzz_delete: .*\(skipped: --replay sends only the case of fuzz_list\/ListServiceBinding\/valid\)/m,
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
    ['fuzz_nothing/valid:1', /must be CHECK\/OPERATION\/KIND:PATH/],
    ['fuzz_list/other:1', /must be CHECK\/OPERATION\/KIND:PATH/],
    ['list_bindings/valid:1', /must be CHECK\/OPERATION\/KIND:PATH/],
    ['fuzz_list/valid/extra:0:0:1', /must be CHECK\/OPERATION\/KIND:PATH/],
    ['fuzz_list/valid:99999999999999999999', /must be CHECK\/OPERATION\/KIND:PATH/],
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
            fetch: inProcessFetch,
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
      const quiet = { stdout: () => {}, stderr: () => {}, fetch: inProcessFetch };
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
            fetch: inProcessFetch,
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

describe('a flaky service: a minimal case is sent again before it is reported', () => {
  /** The report's text of one check, from its `✗ NAME` heading to the next blank line. */
  const section = (stdout: string, check: string) =>
    stdout.split(`\n✗ ${check}\n`)[1]?.split('\n\n')[0] ?? '';
  async function replayed(line: string, env: NodeJS.ProcessEnv) {
    let stdout = '';
    const status = await main(line.split(' '), env, {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => {},
      fetch: inProcessFetch,
    });
    return { status, stdout };
  }

  it('every other list request a 500: the minimal case is reported flaky (the check still fails), and a replay says when it does not reproduce', async () => {
    // By a counter, never by chance: every other list request fails (the fixed checks' too).
    let lists = 0;
    let fault = (url: URL) => (listPathOf(url) && lists++ % 2 === 0 ? serverError() : undefined);
    const flaky = await service((url) => fault(url));
    try {
      const { status, stdout } = await fuzz(flaky.url, flaky.env, ['--seed', '7', '--fuzz', '20']);
      expect(status, stdout).toBe(1);
      const found = section(stdout, 'fuzz_list');
      expect(found).toMatch(
        /a flaky valid case, not confirmed \(found at case \d+, shrunk \d+ times; sent again, it failed [01] of [12] times: its replay may not reproduce it\): server error 500/,
      );
      expect(found).not.toContain('confirmed: sent again');
      const replay = /replay: bindings-contract (verify .*)$/m.exec(found)?.[1] ?? '';
      const target = /reproduce: curl .* '?(http[^' ]+)'?$/m.exec(found)?.[1] ?? '';
      expect(target).toMatch(/^http/);

      // Fixed: the replayed case keeps the contract, and the replay says it did not reproduce (no pass).
      fault = () => undefined;
      const fixed = await replayed(replay, flaky.env);
      expect(fixed.status, fixed.stdout).toBe(0);
      expect(fixed.stdout).toMatch(
        /^○ fuzz_list: .*\(skipped: --replay: the case of fuzz_list\/ListServiceBinding\/valid did not reproduce: it got an answer that keeps the contract/m,
      );

      // Still flaky: the replayed case fails once, then passes when sent again: reported flaky, not confirmed.
      let sends = 0;
      fault = (url) => (url.href === target && sends++ % 2 === 0 ? serverError() : undefined);
      const again = await replayed(replay, flaky.env);
      expect(again.status, again.stdout).toBe(1);
      expect(sends).toBe(2);
      expect(section(again.stdout, 'fuzz_list')).toMatch(
        /a flaky valid case, not confirmed \(found at case 1, shrunk 0 times; sent again, it failed 0 of 1 times/,
      );
    } finally {
      await flaky.close();
    }
  });

  it('a fault that always fails is confirmed: sent again FUZZ_CONFIRMATIONS times, counted in --max-requests', async () => {
    const broken = await service((url) =>
      listPathOf(url) && url.searchParams.get(name('pageSize')) === '100' ? serverError() : undefined,
    );
    try {
      const { stdout } = await fuzz(broken.url, broken.env, ['--seed', '7']);
      const found = section(stdout, 'fuzz_list');
      expect(found).toMatch(
        new RegExp(
          `confirmed: sent again, it failed ${FUZZ_CONFIRMATIONS} of ${FUZZ_CONFIRMATIONS} times\\): server error 500`,
        ),
      );
      const target = minimal(stdout, 'fuzz_list').slice('GET '.length);
      // Found once, sent again to confirm: the minimal request is among the last sent.
      expect(broken.requests.filter((r) => r === `GET ${target}`).length).toBeGreaterThanOrEqual(
        1 + FUZZ_CONFIRMATIONS,
      );
    } finally {
      await broken.close();
    }
  });
});
