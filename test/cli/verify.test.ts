// `bindings-contract verify`: it passes the embedded mock and a service that keeps the contract, and
// each deliberately broken service makes it exit 1 naming the check that caught it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { operationFacts, parameterOf } from '../../generated/contract.js';
import { checks } from '../../src/cli/checks.ts';
import { main } from '../../src/cli/main.ts';
import { operations } from '../../src/cli/operations.ts';
import type { PrismMock } from '../../src/cli/prism.ts';
import type { Report } from '../../src/cli/report.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { exampleSids, invalidSids, listPath } from '../support/contract.ts';
import {
  type ContractServer,
  deletableSid,
  type Fault,
  faults,
  serverCredentials,
  startContractServer,
} from '../support/contract-server.ts';
import { inProcessFetch } from '../support/in-process.ts';
import { prismReady } from '../support/prism.ts';

/** The suite's Prism mock stands in for the embedded one: one Prism process for the whole run. */
const sharedPrism = async () => ({ url: inject('prismUrl'), stop: async () => {} }) as unknown as PrismMock;

/** Runs the CLI in-process; resolves to its exit status and what it printed. */
async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    startPrism: sharedPrism,
    fetch: inProcessFetch,
  });
  return { status, stdout, stderr };
}

const credentials = {
  BINDINGS_USERNAME: serverCredentials.username,
  BINDINGS_PASSWORD: serverCredentials.password,
};
const failing = (text: string) => [...text.matchAll(/^✗ (\w+):/gm)].map((m) => m[1]);

/** The SIDs a service lists on its first page: what a run that deletes nothing leaves as it found them. */
async function listed(url: string): Promise<string[]> {
  const authorization = basicAuthorization(serverCredentials.username, serverCredentials.password);
  const page = await (await inProcessFetch(`${url}${listPath}`, { headers: { authorization } })).json();
  return (page.bindings as { sid: string }[]).map((b) => b.sid);
}

// The suite's Prism is spawned, not awaited, by the global setup: wait for it here.
beforeAll(prismReady, 35_000);

describe('verify against the embedded mock', () => {
  it('with no target flag: the stateful fake the package carries, named in the report; every fixed check runs, Prism is not started', async () => {
    let prismStarts = 0;
    let stdout = '';
    const status = await main(
      ['verify', '--seed', '7'],
      {},
      {
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => {},
        startPrism: async () => {
          prismStarts++;
          return sharedPrism();
        },
      },
    );
    expect(stdout.split('\n')[0]).toMatch(
      /^bindings-contract verify: http:\/\/127\.0\.0\.1:\d+, the embedded stateful fake \(--mock stateful, the default\) \(seed 7\)$/,
    );
    const skipped = [...stdout.matchAll(/^○ (\w+): /gm)].map((m) => m[1]);
    expect(skipped).toEqual(['fuzz_list', 'fuzz_fetch', 'fuzz_delete']);
    expect(stdout).toMatch(/^✓ delete_twice: /m);
    expect(prismStarts).toBe(0);
    expect(status).toBe(0);
  });

  it('--mock stateful named: the JSON and JUnit reports say which target was checked', async () => {
    const json = await cli(['verify', '--mock', 'stateful', '--seed', '7', '--reporter', 'json']);
    expect(JSON.parse(json.stdout).target).toBe('the embedded stateful fake (--mock stateful)');
    const junit = await cli(['verify', '--mock', 'stateful', '--seed', '7', '--reporter', 'junit']);
    expect(junit.stdout).toContain(
      '<property name="target" value="the embedded stateful fake (--mock stateful)"/>',
    );
  });

  it('--mock prism: runs every check it can, passes, and skips those that need state or behaviour the mock lacks', async () => {
    const { status, stdout } = await cli(['verify', '--mock', 'prism', '--seed', '7']);
    expect(stdout.split('\n')[0]).toContain(', the embedded Prism mock (--mock prism) (seed 7)');
    expect(stdout.trim().split('\n').at(-1)).toBe('12 passed, 0 failed, 9 skipped');
    const skipped = [...stdout.matchAll(/^○ (\w+): .*\(skipped: (.*)\)$/gm)].map((m) => m[1]);
    expect(skipped).toEqual([
      'auth_wrong_credentials',
      'unknown_binding',
      'list_filters',
      'use_after_free',
      'deleted_not_listed',
      'delete_twice',
      'fuzz_list',
      'fuzz_fetch',
      'fuzz_delete',
    ]);
    expect(stdout).toMatch(/^○ unknown_binding: .*\(skipped: the embedded mock is stateless/m);
    expect(stdout).toMatch(/^✓ delete_binding: /m);
    expect(status).toBe(0);
  });
});

describe('verify against a service', () => {
  let good: ContractServer;
  beforeAll(async () => {
    good = await startContractServer();
  });
  afterAll(() => good.close());

  it('that keeps the contract: every check runs and passes, the destructive ones included', async () => {
    const { status, stdout } = await cli(
      ['verify', '--base-url', good.url, '--seed', '1', '--delete-binding-sid', deletableSid],
      credentials,
    );
    expect(stdout.trim().split('\n').at(-1)).toBe('18 passed, 0 failed, 3 skipped');
    expect(status).toBe(0);
  });

  it('deletes nothing unless told which binding it may delete', async () => {
    const server = await startContractServer();
    try {
      const before = await listed(server.url);
      const { stdout } = await cli(['verify', '--base-url', server.url, '--seed', '1'], credentials);
      expect(stdout.trim().split('\n').at(-1)).toBe('14 passed, 0 failed, 7 skipped');
      expect(stdout).toMatch(
        /^○ delete_binding: .*\(skipped: destructive: runs only with --delete-binding-sid/m,
      );
      // The delete's own checks (credentials, invalid input, an unknown SID) ran, naming no binding it holds.
      const deletes = server.requests.filter((r) => r.startsWith('DELETE'));
      expect(deletes.length).toBeGreaterThan(0);
      expect(deletes.filter((r) => before.some((sid) => r.includes(sid)))).toEqual([]);
      expect(await listed(server.url)).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it('runs each check on every operation it fits, and lists them operation by operation', async () => {
    const server = await startContractServer();
    try {
      const { status, stdout } = await cli(
        [
          'verify',
          '--base-url',
          server.url,
          '--seed',
          '1',
          '--delete-binding-sid',
          deletableSid,
          '--reporter',
          'json',
        ],
        credentials,
      );
      const report = JSON.parse(stdout) as Report;
      // Every operation of the registry, each with every check that fits its action, and the checks over the run.
      expect(report.operations?.map((o) => o.operation)).toEqual(operations.map((op) => op.id));
      const overRun = checks.filter((c) => !c.probe).map((c) => c.name);
      for (const op of operations) {
        const fitting = checks.filter((c) => c.on?.includes(op.action) && c.fits?.(op) !== false);
        const listed = report.operations?.find((o) => o.operation === op.id);
        expect(listed?.checks.map((c) => c.name).sort(), op.id).toEqual(
          [...fitting.map((c) => c.name), ...overRun].sort(),
        );
        // Credentials and invalid input are tried on every operation, a list's filters and pages on each list.
        expect(listed?.checks.map((c) => c.name)).toEqual(
          expect.arrayContaining(['auth_no_credentials', 'auth_wrong_credentials', 'negative_data']),
        );
        if (op.action === 'list')
          expect(listed?.checks.map((c) => c.name)).toEqual(
            expect.arrayContaining(['list_pagination', 'list_filters']),
          );
        if (op.action === 'delete') expect(listed?.checks.map((c) => c.name)).toContain('use_after_free');
        expect(listed?.status).toBe('pass');
        expect(listed?.requests).toBeGreaterThan(0);
      }
      expect(report.instances).toEqual([
        { resource: operations[0]?.resource, sid: exampleSid, found: 'listed' },
      ]);
      expect(status).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('replays the same requests for the same seed, and others for another', async () => {
    const run = async (seed: string) => {
      good.requests.length = 0;
      await cli(['verify', '--base-url', good.url, '--seed', seed], credentials);
      return [...good.requests];
    };
    const first = await run('42');
    expect(await run('42')).toEqual(first);
    expect(await run('43')).not.toEqual(first);
  });

  it('never prints the password', async () => {
    const broken = await startContractServer('auth ignored');
    try {
      for (const reporter of ['text', 'json', 'junit']) {
        const { stdout } = await cli(
          ['verify', '--base-url', broken.url, '--reporter', reporter],
          credentials,
        );
        expect(stdout).not.toContain(serverCredentials.password);
      }
    } finally {
      await broken.close();
    }
  });
});

const caughtBy: Record<Exclude<Fault, 'none'>, string[]> = {
  // Every answer's documented headers are judged, so the run-wide conformance check names it too.
  'missing documented header': ['known_binding', 'status_conformance'],
  'wrong content type': ['known_binding', 'status_conformance'],
  'malformed date': ['known_binding', 'status_conformance'],
  'unknown enum value': ['known_binding', 'status_conformance'],
  '500 on a bad SID': ['not_a_server_error', 'negative_data'],
  // A DELETE of a bad SID answered 200 with a body: a status the delete does not document.
  '200 on a bad SID': ['negative_data', 'status_conformance'],
  'auth ignored': ['auth_no_credentials', 'auth_wrong_credentials'],
  'non-conforming 404 body': ['unknown_binding', 'status_conformance', 'use_after_free'],
  '200 for an unknown binding': ['unknown_binding', 'use_after_free'],
  'undocumented status': ['known_binding', 'status_conformance'],
  'error body status mismatch': ['unknown_binding', 'status_conformance', 'use_after_free'],
  'list page field type': ['status_conformance', 'list_bindings', 'list_pagination', 'deleted_not_listed'],
  'next_page_url loop': ['list_pagination', 'deleted_not_listed'],
  'filter ignored': ['list_filters', 'negative_query_data'],
  'page_size mismatch': ['list_pagination'],
  // The checks after a failed delete are skipped: they would judge a binding that may not be gone.
  // Every delete, the unauthenticated and the invalid ones too, got that 200.
  'delete answers 200 with a body': [
    'negative_data',
    'auth_no_credentials',
    'auth_wrong_credentials',
    'unknown_binding',
    'status_conformance',
    'delete_binding',
  ],
  'deleted binding still served': ['use_after_free', 'deleted_not_listed', 'delete_twice'],
};

describe('verify against a broken service', () => {
  it.each(faults.map((f) => [f, caughtBy[f]] as const))('%s: exits 1, naming %j', async (fault, checks) => {
    const server = await startContractServer(fault);
    try {
      const { status, stdout } = await cli(
        ['verify', '--base-url', server.url, '--seed', '3', '--delete-binding-sid', deletableSid],
        credentials,
      );
      expect(failing(stdout)).toEqual(checks);
      expect(status).toBe(1);
    } finally {
      await server.close();
    }
  });
});

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const [chatServiceSid, sid] = operationFacts.FetchServiceBinding.parameters;
const pageSizeRule = parameterOf.ListServiceBinding.pageSize;
const exampleSid = exampleSids.sid;
const shortService = invalidSids('ChatServiceSid')['one character short'];
const wrongBinding = invalidSids('Sid')['a wrong prefix'];

describe('bad usage exits 2 with one line naming it', () => {
  it.each([
    [['verify', '--bogus'], /Unknown option '--bogus'/],
    [['verify', '--base-url', 'not a url'], /--base-url must be an absolute http\(s\) URL .*got "not a url"/],
    [
      ['verify', '--chat-service-sid', shortService],
      new RegExp(literally(`--chat-service-sid must be ${chatServiceSid?.expected}, got "${shortService}"`)),
    ],
    [
      ['verify', '--binding-sid', wrongBinding],
      new RegExp(literally(`--binding-sid must be ${sid?.expected}`)),
    ],
    [['verify', '--reporter', 'xml'], /--reporter must be text, json, junit or markdown/],
    [['verify', '--seed=-1'], /--seed must be an integer from 0 to 4294967295, got "-1"/],
    [['verify', '--seed', '-1'], /Option '--seed' argument is ambiguous/],
    [['verify', '--timeout-ms', '0'], /--timeout-ms must be an integer from 1/],
    [['verify', '--max-pages', '0'], /--max-pages must be an integer from 1/],
    [
      ['verify', '--page-size', '0'],
      new RegExp(literally(`--page-size must be ${pageSizeRule?.expected}, got "0"`)),
    ],
    [
      ['verify', '--binding-sid', exampleSid, '--delete-binding-sid', exampleSid],
      /--delete-binding-sid must name another binding than --binding-sid/,
    ],
    [['verify', '--base-url', 'https://example.com'], /set BINDINGS_USERNAME and BINDINGS_PASSWORD/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('%j', async (args, message) => {
    const { status, stderr, stdout } = await cli(args);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
  });
});
