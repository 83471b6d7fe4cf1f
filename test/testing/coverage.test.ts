// Contract coverage: the model generated from the contract (a change to the contract changes the items),
// what the fake records as it answers (in process, through MSW, over HTTP when `mock --stateful` stops),
// what `verify --coverage` records, and `bindings-contract coverage`: merge, reports, gates, bad input.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  mkdtemp,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  symlink,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  operationFacts,
  packageName,
  packageVersion,
  parameterOf,
  parameterRules,
  server,
} from '../../generated/contract.js';
import { coverageModel } from '../../generated/coverage-model.js';
import type { OpenApiDocument } from '../../scripts/bundle-spec.ts';
import { coverageModel as modelOf } from '../../scripts/generate-coverage-model.ts';
import { serveFake } from '../../src/cli/fake-server.ts';
import { LOCK_STALE_MS, withLock } from '../../src/cli/file-lock.ts';
import type { WriteSeam } from '../../src/cli/file-writes.ts';
import { MAX_FILE_BYTES, MAX_FILE_JSON_ITEMS } from '../../src/cli/files.ts';
import { EXIT, type Io, Stopped } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { MAX_QUOTE } from '../../src/cli/said.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { MAX_JSON_DEPTH } from '../../src/client/body.ts';
import { type Binding, createBindingsClient } from '../../src/client/index.ts';
import type { OperationId } from '../../src/client/types.ts';
import { CoverageRecorder } from '../../src/testing/coverage.ts';
import { statusItem } from '../../src/testing/coverage-items.ts';
import {
  bindingFor,
  COVERAGE_FORMAT,
  type CoverageData,
  coverageOfEveryFake,
  createBindingsFake,
} from '../../src/testing/index.ts';
import { bindingsHandlers } from '../../src/testing/msw.ts';
import { bindingPath, bindingTypes, exampleSids, listPath, spec, statusOf } from '../support/contract.ts';

const ids = (data: CoverageData) => Object.keys(data.exercised);
const name = (key: keyof typeof parameterOf.ListServiceBinding) => parameterOf.ListServiceBinding[key].name;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'contract-coverage-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  signal?: AbortSignal,
  seams: Partial<Io> = {},
) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    ...(signal && { signal }),
    ...seams,
  });
  return { status, stdout, stderr };
}

describe('the model, generated from the contract', () => {
  it('lists each documented outcome once, in eight dimensions', () => {
    const all = coverageModel.items.map((i) => i.id);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(coverageModel.items.map((i) => i.dimension))).toEqual(
      new Set([
        'status',
        'media-type',
        'header',
        'parameter',
        'parameter-value',
        'property',
        'response-value',
        'paging',
      ]),
    );
    for (const type of bindingTypes) expect(all).toContain(`ServiceBinding.binding_type=${type}`);
    expect(all).toContain(`ListServiceBinding ${name('pageSize')}=${parameterRules.PageSize.maximum}`);
  });

  it('changes with the contract: a value added to an enum and a status documented add their items', () => {
    const changed = structuredClone(spec) as OpenApiDocument;
    const bindingType = changed.components.schemas?.BindingType as { enum: string[] } | undefined;
    bindingType?.enum.push('added-value');
    expect(bindingType?.enum).toContain('added-value');
    const fetch = (
      changed.paths['/v1/Services/{ChatServiceSid}/Bindings/{Sid}'] as {
        get: { responses: Record<string, unknown> };
      }
    ).get;
    fetch.responses['403'] = fetch.responses['401'];
    const items = modelOf(changed).items.map((i) => i.id);
    expect(items).toContain('ServiceBinding.binding_type=added-value');
    expect(items).toContain('ListServiceBinding BindingType=added-value');
    expect(items).toContain('FetchServiceBinding status 403');
    expect(items.length).toBe(coverageModel.items.length + 4);
  });
});

describe('the fake records what its answers exercised', () => {
  it('statuses, media types, headers, parameters and their values, properties present and null, paging', async () => {
    // Every field the contract allows null in, null (but the two the fake stores a binding by).
    const sparse = bindingFor({
      identity: null,
      endpoint: null,
      message_types: null,
      url: null,
      account_sid: null,
      credential_sid: null,
      date_created: null,
      date_updated: null,
    } as Partial<Binding>);
    const fake = createBindingsFake({ bindings: [bindingFor({}), sparse, bindingFor({})] });
    const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch, retry: false });
    for await (const _ of client.listBindings({ chatServiceSid: exampleSids.chatServiceSid, pageSize: 1 }));
    fake.inject({ status: statusOf('TooManyRequests') });
    await client.fetchBinding(exampleSids).catch(() => undefined);
    fake.inject({ status: 503 }, { when: (r) => r.operation === 'DeleteServiceBinding' });
    await client.deleteBinding(exampleSids).catch(() => undefined);
    const data = fake.coverage();
    expect(data).toMatchObject({
      format: COVERAGE_FORMAT,
      version: 1,
      contract: coverageModel.contract,
      source: 'fake (in-process)',
    });
    for (const id of [
      'ListServiceBinding status 200',
      `ListServiceBinding ${name('pageSize')} given`,
      `ListServiceBinding ${name('bindingType')} omitted`,
      `ListServiceBinding ${name('pageSize')}=${parameterRules.PageSize.minimum}`,
      'ListServiceBinding next page followed',
      'ListServiceBinding last page reached',
      'ServiceBinding.identity null',
      'ServiceBinding.identity present',
      'FetchServiceBinding status 429',
      'FetchServiceBinding 429 header Retry-After',
      'DeleteServiceBinding status default',
      'DeleteServiceBinding default application/json',
    ])
      expect(ids(data), id).toContain(id);
    expect(data.exercised['ListServiceBinding status 200']).toBe(3);
  });

  it('an empty page, and what every fake of the process recorded together', async () => {
    const before = coverageOfEveryFake().exercised['ListServiceBinding empty page'] ?? 0;
    for (const fake of [createBindingsFake({ bindings: [] }), createBindingsFake({ bindings: [] })]) {
      const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
      for await (const _ of client.listBindings({ chatServiceSid: exampleSids.chatServiceSid }));
      expect(fake.coverage().exercised['ListServiceBinding empty page']).toBe(1);
    }
    expect(coverageOfEveryFake().exercised['ListServiceBinding empty page']).toBe(before + 2);
  });

  it('through the MSW handlers too', async () => {
    const fake = createBindingsFake();
    const msw = setupServer(...bindingsHandlers(fake));
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      await fetch(`${server}${bindingPath(exampleSids.chatServiceSid, exampleSids.sid)}`, {
        method: 'DELETE',
      });
      expect(ids(fake.coverage())).toContain('DeleteServiceBinding status 401');
      // A merged report can tell MSW's answers from in-process and HTTP ones.
      expect(fake.coverage().source).toBe('fake (msw)');
      expect(coverageOfEveryFake().source).toMatch(/^fake \(.*in-process.*msw.*\)$/);
    } finally {
      msw.close();
    }
  });

  it('an answer of no documented operation records nothing', () => {
    const recorder = new CoverageRecorder();
    const query = new URLSearchParams();
    recorder.record({
      operation: 'Nothing',
      target: '/',
      query,
      status: 200,
      contentType: '',
      headers: new Headers(),
      body: undefined,
    });
    expect(recorder.data('test').exercised).toEqual({});
  });
});

describe('mock --stateful --coverage and verify --coverage write coverage files', () => {
  it('mock writes what its answers exercised when it is stopped', async () => {
    const file = join(dir, 'mock.json');
    const controller = new AbortController();
    let url = '';
    const status = main(
      ['mock', '--stateful', '--port', '0', '--coverage', file],
      {},
      {
        stdout: (t) => {
          url = /at (http:\/\/[^\s,]+)/.exec(t)?.[1] ?? url;
          const fake = createBindingsFake();
          const authorization = basicAuthorization(fake.credentials.username, fake.credentials.password);
          void fetch(`${url}${listPath}?${name('pageSize')}=${parameterRules.PageSize.maximum}`, {
            headers: { authorization },
          }).then(() => controller.abort());
        },
        stderr: () => {},
        signal: controller.signal,
      },
    );
    expect(await status).toBe(0);
    const data = JSON.parse(await readFile(file, 'utf8')) as CoverageData;
    expect(ids(data)).toContain(`ListServiceBinding ${name('pageSize')}=${parameterRules.PageSize.maximum}`);
    expect(data.source).toBe('fake (mock --stateful over HTTP)');
  });

  it('verify writes what its run exercised and says how much', async () => {
    const file = join(dir, 'verify.json');
    const { status, stdout } = await cli(['verify', '--mock', 'stateful', '--seed', '1', '--coverage', file]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/Contract coverage: \d+ of \d+ documented outcomes exercised/);
    const data = JSON.parse(await readFile(file, 'utf8')) as CoverageData;
    expect(data.source).toBe('verify');
    expect(ids(data)).toContain('FetchServiceBinding status 404');
  });

  it('verify counts only answers that keep the contract: a broken 200 exercises nothing', async () => {
    const fake = createBindingsFake();
    const fetchOp = 'FetchServiceBinding';
    fake.inject(
      { breakContract: (body) => ({ ...body, [Object.keys(body)[0] as string]: 42 }) },
      { times: 1000, when: (r) => r.operation === fetchOp && r.url.endsWith(exampleSids.sid) },
    );
    const served = await serveFake(fake);
    const file = join(dir, 'broken.json');
    try {
      const env = {
        BINDINGS_USERNAME: fake.credentials.username,
        BINDINGS_PASSWORD: fake.credentials.password,
      };
      const { status } = await cli(
        ['verify', '--base-url', served.url, '--seed', '1', '--coverage', file],
        env,
      );
      expect(status).toBe(1);
    } finally {
      await served.close();
    }
    const data = JSON.parse(await readFile(file, 'utf8')) as CoverageData;
    expect(ids(data)).toContain(statusItem(fetchOp, String(statusOf('NotFound'))));
    expect(ids(data)).not.toContain(statusItem(fetchOp, String(operationFacts[fetchOp].successStatus)));
  });
});

describe('bindings-contract coverage', () => {
  /** A coverage file exercising these items. */
  async function file(label: string, exercised: string[], change: Partial<CoverageData> = {}) {
    const path = join(dir, `${label}.json`);
    const data: CoverageData = {
      format: COVERAGE_FORMAT,
      version: 1,
      contract: { ...coverageModel.contract },
      source: label,
      exercised: Object.fromEntries(exercised.map((id) => [id, 1])),
      ...change,
    };
    await writeFile(path, JSON.stringify(data));
    return path;
  }
  const all = coverageModel.items.map((i) => i.id);
  const statuses = coverageModel.items.filter((i) => i.dimension === 'status').map((i) => i.id);

  it('merges files and lists, per operation, each item never exercised, one line each', async () => {
    const [first, ...rest] = all;
    const { status, stdout } = await cli([
      'coverage',
      await file('a', rest.slice(0, 40)),
      await file('b', rest.slice(40)),
    ]);
    expect(status).toBe(0);
    expect(stdout).toContain(`from a + b`);
    expect(stdout).toContain(`  ✗ ${first}`);
    expect(stdout.match(/^ {2}✗ /gm)).toHaveLength(1);
    expect(stdout).toContain(`Covered ${all.length - 1}/${all.length}`);
  });

  it('gates: --min and --min-<dimension> fail below them, naming what is missing', async () => {
    const path = await file(
      'no-statuses',
      all.filter((id) => !statuses.includes(id)),
    );
    const min = await cli(['coverage', path, '--min', '99']);
    expect(min.status).toBe(1);
    expect(min.stdout).toContain('✗ --min 99:');
    const dim = await cli(['coverage', path, '--min-status', '50']);
    expect(dim.status).toBe(1);
    expect(dim.stdout).toContain('✗ --min-status 50: 0.0% covered');
    expect((await cli(['coverage', path, '--min-header', '100'])).status).toBe(0);
  });

  it('a baseline is a ratchet: what it covers must stay covered, and --write-baseline moves it up', async () => {
    const baseline = join(dir, 'baseline.json');
    const some = await file('some', all.slice(0, 10));
    expect((await cli(['coverage', some, '--baseline', baseline, '--write-baseline'])).status).toBe(0);
    const fewer = await file('fewer', all.slice(0, 9));
    const regressed = await cli(['coverage', fewer, '--baseline', baseline]);
    expect(regressed.status).toBe(1);
    expect(regressed.stdout).toContain(`✗ --baseline: ${all[9]} was covered and is no longer`);
    expect(
      (await cli(['coverage', await file('more', all.slice(0, 20)), '--baseline', baseline])).status,
    ).toBe(0);
  });

  it.each([
    ['a folder, to write', () => dir, ['--write-baseline'], /--baseline ".*" \(\d+ characters\) is a folder/],
    ['a folder, to read', () => dir, [], /--baseline ".*" \(\d+ characters\) is a folder/],
    [
      'in a missing folder, to write',
      () => join(dir, 'no-such-folder', 'baseline.json'),
      ['--write-baseline'],
      /--baseline ".*" \(\d+ characters\) cannot be written/,
    ],
  ])('--baseline %s: exit 2 before any report, one line naming it', async (_what, path, write, said) => {
    const { status, stdout, stderr } = await cli([
      'coverage',
      await file('any', all),
      '--baseline',
      path(),
      ...write,
    ]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(said);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a file saved with a UTF-8 BOM (a Windows editor) is read: coverage, --baseline and --known-gaps', async () => {
    const bom = async (path: string) => writeFile(path, `\uFEFF${await readFile(path, 'utf8')}`);
    const [missing = '', ...rest] = all;
    const [path, baseline, gaps] = [
      await file('bom', rest),
      await file('bom-baseline', rest),
      join(dir, 'bom-gaps.json'),
    ];
    await writeFile(gaps, JSON.stringify({ [missing]: 'not answered by the fake' }));
    for (const written of [path, baseline, gaps]) await bom(written);
    const { status, stderr } = await cli(['coverage', path, '--baseline', baseline, '--known-gaps', gaps]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('a merge saturates its counts: the largest safe count twice is that count, and reads back', async () => {
    const [id = ''] = all;
    const most = { exercised: { [id]: Number.MAX_SAFE_INTEGER } };
    const [a, b] = [await file('most-a', [], most), await file('most-b', [], most)];
    const baseline = join(dir, 'most-baseline.json');
    expect((await cli(['coverage', a, b, '--baseline', baseline, '--write-baseline'])).status).toBe(0);
    const merged = JSON.parse(await readFile(baseline, 'utf8')) as CoverageData;
    expect(merged.exercised[id]).toBe(Number.MAX_SAFE_INTEGER);
    expect((await cli(['coverage', a, '--baseline', baseline])).status).toBe(0);
  });

  it('known gaps are listed with their reason and left out; a stale one fails', async () => {
    const gaps = join(dir, 'gaps.json');
    const [missing = '', covered = ''] = all;
    await writeFile(gaps, JSON.stringify({ [missing]: 'the fake cannot answer it' }));
    const path = await file('gapped', all.slice(1));
    const ok = await cli(['coverage', path, '--known-gaps', gaps, '--min', '100']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`○ ${missing} (known gap: the fake cannot answer it)`);
    await writeFile(gaps, JSON.stringify({ [covered]: 'stale' }));
    expect((await cli(['coverage', path, '--known-gaps', gaps])).status).toBe(1);
  });

  it("a known gap's reason is shown bounded and with no control character, as a source is", async () => {
    const gaps = join(dir, 'gaps-hostile.json');
    const [missing = ''] = all;
    await writeFile(gaps, JSON.stringify({ [missing]: `\u001b[2J\u202e${'r'.repeat(2_000)}` }));
    const path = await file('gapped-hostile', all.slice(1));
    for (const reporter of ['text', 'json', 'html']) {
      const { status, stdout } = await cli(['coverage', path, '--known-gaps', gaps, '--reporter', reporter]);
      expect(status).toBe(0);
      for (const raw of ['\u001b', '\u202e']) expect(stdout).not.toContain(raw);
      expect(stdout).not.toContain('r'.repeat(300));
    }
  });

  it('json and html reports', async () => {
    const path = await file('half', all.slice(0, 50));
    const json = JSON.parse((await cli(['coverage', path, '--reporter', 'json'])).stdout);
    expect(json.overall).toEqual({ covered: 50, total: all.length });
    const html = (await cli(['coverage', path, '--reporter', 'html'])).stdout;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/class="missing"/g)).toHaveLength(all.length - 50);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3)/);
  });

  /** The JUnit report's suites and cases, as a CI test view reads them. */
  function junitOf(xml: string) {
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (n) => ['testsuite', 'testcase'].includes(n),
    }).parse(xml);
    const suites = parsed.testsuites.testsuite as {
      name: string;
      testcase: ({ name: string } & Record<string, unknown>)[];
    }[];
    const cases = suites.flatMap((s) => s.testcase.map((c) => ({ suite: s.name, ...c })));
    return { totals: parsed.testsuites as Record<string, string>, cases };
  }

  it('junit: a passing gate is green (the gate a passing case, each item not exercised a skipped one)', async () => {
    const path = await file('most', all.slice(0, -10));
    const { status, stdout } = await cli(['coverage', path, '--reporter', 'junit', '--min', '50']);
    expect(status).toBe(0);
    const { totals, cases } = junitOf(stdout);
    expect(Number(totals.failures)).toBe(0);
    const gate = cases.find((c) => c.name === '--min 50');
    expect(gate).toBeDefined();
    expect(gate).not.toHaveProperty('failure');
    const skipped = cases.filter((c) => 'skipped' in c);
    expect(skipped.map((c) => c.name).sort()).toEqual(all.slice(-10).sort());
    expect(skipped[0]?.skipped).toMatchObject({ message: expect.stringContaining('never exercised') });
    expect(cases.filter((c) => 'failure' in c)).toEqual([]);
  });

  it('junit: a failing gate fails its case, saying what is missing; the other gates pass', async () => {
    const [missing = '', ...rest] = all;
    const { status, stdout } = await cli([
      'coverage',
      await file('all-but-one', rest),
      '--reporter',
      'junit',
      '--min',
      '100',
      '--min-header',
      '0',
    ]);
    expect(status).toBe(1);
    const { totals, cases } = junitOf(stdout);
    expect(Number(totals.failures)).toBe(1);
    const failed = cases.filter((c) => 'failure' in c);
    expect(failed.map((c) => c.name)).toEqual(['--min 100']);
    expect(JSON.stringify(failed[0]?.failure)).toContain(missing);
    // One line per reason, as the text report says them: a line break is a line break, never `\u000a`.
    const body = String(((failed[0]?.failure ?? {}) as Record<string, unknown>)['#text']);
    expect(body).not.toContain('\\u000a');
    expect(body.split('\n').at(-1)).toBe(`never exercised: ${missing}`);
    expect(cases.find((c) => c.name === '--min-header 0')).not.toHaveProperty('failure');
  });

  // XML 1.0 cannot hold most C0 controls, lone surrogates, U+FFFE or U+FFFF at all: one escaper for every report.
  it.each(['junit', 'html'])(
    '%s: characters XML cannot hold, from a source and a known gap, are shown as escapes',
    async (reporter) => {
      const hostile = '\u0001\ud800\ufffe\uffff';
      const [missing = '', ...rest] = all;
      const gaps = join(dir, 'gaps-not-xml.json');
      await writeFile(gaps, JSON.stringify({ [missing]: `reason ${hostile}` }));
      const path = await file('not-xml', rest, { source: `source ${hostile}` });
      const { status, stdout } = await cli(['coverage', path, '--known-gaps', gaps, '--reporter', reporter]);
      expect(status).toBe(0);
      for (const raw of [...hostile]) expect(stdout).not.toContain(raw);
      expect(stdout).toContain('reason \\u0001\\ud800\\ufffe\\uffff');
      if (reporter === 'junit') expect(XMLValidator.validate(stdout)).toBe(true);
    },
  );

  it("every report says which version is the contract's and which the package's", async () => {
    const path = await file('versions', all);
    const { contract } = coverageModel;
    const text = (await cli(['coverage', path])).stdout;
    expect(text.split('\n')[0]).toContain(`contract version ${contract.version}`);
    expect(text.split('\n')[0]).toContain(`measured by ${packageName} ${packageVersion}`);
    const json = JSON.parse((await cli(['coverage', path, '--reporter', 'json'])).stdout);
    expect(json).toMatchObject({ contract, package: { name: packageName, version: packageVersion } });
    for (const reporter of ['junit', 'html'])
      expect((await cli(['coverage', path, '--reporter', reporter])).stdout).toContain(
        `contract version ${contract.version}`,
      );
  });

  // A named pipe holds the run inside its first file's read: the stop ends that read.
  it.skipIf(process.platform === 'win32')(
    'a stop (SIGINT, SIGTERM) ends the run with its status, writing neither --output nor --baseline',
    async () => {
      const pipe = join(dir, 'pipe.json');
      const [output, baseline] = [join(dir, 'stopped.out'), join(dir, 'stopped-baseline.json')];
      await rm(pipe, { force: true });
      execFileSync('mkfifo', [pipe]);
      const writes = ['--output', output, '--baseline', baseline, '--write-baseline'];
      const controller = new AbortController();
      const run = cli(['coverage', pipe, await file('after', all), ...writes], {}, controller.signal);
      // Opened once the run has the pipe open to read; held, never written: the run waits on it.
      const writer = await open(pipe, 'w');
      controller.abort(new Stopped('SIGINT'));
      const stopped = await run;
      await writer.close();
      expect(stopped.status).toBe(EXIT.SIGINT);
      expect(stopped.stderr).toContain('stopped by SIGINT');
      expect(stopped.stdout).toBe('');
      const terminated = AbortSignal.abort(new Stopped('SIGTERM'));
      expect((await cli(['coverage', await file('one', all), ...writes], {}, terminated)).status).toBe(
        EXIT.SIGTERM,
      );
      for (const written of [output, baseline]) await expect(readFile(written)).rejects.toThrow();
    },
  );

  it.each(['text', 'json', 'html'])(
    '%s: a source is shown escaped (no control character acts) and cut, the merged line too',
    async (reporter) => {
      const rest = 'x'.repeat(10 * MAX_QUOTE);
      const hostile = await file('hostile', all, { source: `\u001b[2J\n\u202e${rest}` });
      const { status, stdout } = await cli([
        'coverage',
        hostile,
        await file('b', all),
        '--reporter',
        reporter,
      ]);
      expect(status).toBe(0);
      const shown = reporter === 'json' ? JSON.parse(stdout).sources : stdout;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not reach a terminal or a page
      expect(shown).not.toMatch(/[\u001b\u202e]/);
      expect(shown).not.toContain('x'.repeat(MAX_QUOTE));
      expect(shown).toContain(`\\u001b[2J\\u000a\\u202e${'x'.repeat(MAX_QUOTE - 6)}…`);
    },
  );

  it.each([
    ['a coverage file', (path: string) => [path]],
    ['--baseline', (path: string) => ['--baseline', path]],
    ['--known-gaps', (path: string) => ['--known-gaps', path]],
  ])('%s over the size limit: exit 2 naming it and the limit', async (flag, args) => {
    // Sparse: the file claims the size without a byte of it on disk.
    const huge = join(dir, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, MAX_FILE_BYTES + 1024 * 1024);
    const { status, stderr } = await cli(['coverage', await file('small', all), ...args(huge)]);
    expect(status).toBe(2);
    expect(stderr).toContain(`${flag.startsWith('--') ? `${flag} ` : ''}"${huge}"`);
    expect(stderr).toContain(`${MAX_FILE_BYTES / 1024 / 1024} MiB`);
  });

  // A device has no size to refuse it by: the read itself stops at the limit (it once went on to 2 GiB).
  it.skipIf(process.platform === 'win32')(
    'a file with no size (/dev/zero) is read up to the limit',
    async () => {
      const { status, stderr } = await cli(['coverage', '/dev/zero']);
      expect(status).toBe(2);
      expect(stderr).toContain('"/dev/zero"');
      expect(stderr).toContain(`is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    },
  );

  it.each([
    [
      'not JSON',
      async () => {
        const p = join(dir, 'bad.json');
        await writeFile(p, '{');
        return p;
      },
      /cannot be read as coverage \(it is not JSON\)/,
    ],
    [
      'not coverage data',
      async () => {
        const p = join(dir, 'other.json');
        await writeFile(p, '{"a":1}');
        return p;
      },
      /is not a coverage file/,
    ],
    [
      'another contract version',
      () => file('old', [], { contract: { ...coverageModel.contract, version: '0.9.0' } }),
      /measured against .* "0.9.0"/,
    ],
    [
      'an item this contract does not document',
      () => file('alien', ['Nope status 200']),
      /names "Nope status 200"/,
    ],
    ['unreadable', async () => join(dir, 'missing.json'), /cannot be read as coverage \(ENOENT\)/],
    [
      'a source that is not a string',
      () => file('unnamed', [], { source: { name: 'fake' } as unknown as string }),
      /cannot be merged: its "source" must be a string, got object/,
    ],
  ])('%s: exit 2, naming the file and the reason; nothing is merged', async (_what, make, reason) => {
    const good = await file('good', all);
    const output = join(dir, 'out.json');
    await rm(output, { force: true });
    const { status, stderr, stdout } = await cli(['coverage', good, await make(), '--output', output]);
    expect(status).toBe(2);
    expect(stderr).toMatch(reason);
    expect(stdout).toBe('');
    await expect(readFile(output)).rejects.toThrow();
  });

  // 64 MiB of `[[[…` took half a minute and gigabytes to parse before it was refused; `[{},{},…` a minute.
  it.each([
    [
      'nests deeper than the limit',
      () => `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`,
      `it nests deeper than ${MAX_JSON_DEPTH} levels`,
    ],
    [
      'holds more items than the limit',
      () => `[${'{},'.repeat(MAX_FILE_JSON_ITEMS)}{}]`,
      `it holds more than ${MAX_FILE_JSON_ITEMS.toLocaleString('en-US')} items`,
    ],
  ])('a file that %s: exit 2 naming it and the limit, never parsed', async (_what, make, said) => {
    const path = join(dir, 'too-much.json');
    const text = make();
    await writeFile(path, text);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      for (const args of [[path], ['--baseline', path], ['--known-gaps', path]]) {
        const { status, stderr } = await cli(['coverage', await file('fine', all), ...args]);
        expect(status).toBe(2);
        expect(stderr).toContain(`"${path}"`);
        expect(stderr).toContain(said);
      }
      // The work counted: JSON.parse never saw the file.
      expect(parse.mock.calls.filter(([given]) => given.length >= text.length)).toEqual([]);
    } finally {
      parse.mockRestore();
    }
  });

  describe('--operation', () => {
    /** The schemas an operation answers with, however deep: the model read directly, as an oracle. */
    const schemasOf = (op: OperationId) => {
      const found = new Set<string>();
      const visit = (schema: string | null | undefined) => {
        const properties = schema ? coverageModel.schemas[schema] : undefined;
        if (!schema || !properties || found.has(schema)) return;
        found.add(schema);
        for (const facts of Object.values(properties)) for (const next of [facts.of, facts.each]) visit(next);
      };
      for (const r of Object.values(coverageModel.operations[op]?.responses ?? {}))
        for (const t of Object.values(r.types)) visit(t);
      return [...found];
    };
    const fetchOp: OperationId = 'FetchServiceBinding';
    const listOp: OperationId = 'ListServiceBinding';

    it('gates only the operations named, with the schemas they answer with', async () => {
      const scopes = [fetchOp, ...schemasOf(fetchOp)];
      const theirs = coverageModel.items.filter((i) => scopes.includes(i.scope)).map((i) => i.id);
      const path = await file('fetch-only', theirs);
      expect((await cli(['coverage', path, '--min', '100'])).status).toBe(1);
      const only = await cli([
        'coverage',
        path,
        '--min',
        '100',
        '--operation',
        fetchOp,
        '--reporter',
        'json',
      ]);
      expect(only.status).toBe(0);
      const report = JSON.parse(only.stdout);
      expect(report.scopes.map((s: { scope: string }) => s.scope).sort()).toEqual([...scopes].sort());
      expect(report.overall).toEqual({ covered: theirs.length, total: theirs.length });
      expect(report.operations).toEqual([fetchOp]);
    });

    it('is repeatable: each operation named, and every schema any of them answers with', async () => {
      const { stdout } = await cli([
        'coverage',
        await file('none', []),
        '--operation',
        fetchOp,
        '--operation',
        listOp,
        '--reporter',
        'json',
      ]);
      const scopes = new Set([fetchOp, listOp, ...schemasOf(fetchOp), ...schemasOf(listOp)]);
      expect(new Set(JSON.parse(stdout).scopes.map((s: { scope: string }) => s.scope))).toEqual(scopes);
    });

    it('an item of an operation left out is neither a regression nor a stale known gap', async () => {
      const outside = coverageModel.items.find((i) => i.scope === listOp)?.id ?? '';
      const baseline = await file('outside-baseline', [outside]);
      const gaps = join(dir, 'outside-gaps.json');
      await writeFile(gaps, JSON.stringify({ [outside]: 'not used by this team' }));
      const path = await file('outside', [outside]);
      const args = ['coverage', await file('nothing', []), '--operation', fetchOp];
      expect((await cli([...args, '--baseline', baseline])).status).toBe(0);
      expect((await cli(['coverage', path, '--operation', fetchOp, '--known-gaps', gaps])).status).toBe(0);
    });

    it('an unknown name: exit 2, listing the operations of the contract', async () => {
      const { status, stderr } = await cli([
        'coverage',
        await file('any-op', all),
        '--operation',
        'fetchBinding',
      ]);
      expect(status).toBe(2);
      expect(stderr).toContain('"fetchBinding"');
      for (const op of Object.keys(coverageModel.operations)) expect(stderr).toContain(op);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });

  describe('--write-baseline: replaced whole, and no run loses what another wrote', () => {
    /** Runs `coverage` with `extra` seams, calling `printed` once its report is out (before the baseline is written). */
    function run(args: string[], printed: () => void, extra: Partial<Io> = {}) {
      let stdout = '';
      let stderr = '';
      const status = main(
        ['coverage', ...args],
        {},
        {
          stdout: (t) => {
            stdout += t;
            printed();
          },
          stderr: (t) => {
            stderr += t;
          },
          ...extra,
        },
      );
      return status.then((code) => ({ status: code, stdout, stderr }));
    }

    it('a disk that fills mid-write leaves the old baseline whole: exit 2 naming it and why', async () => {
      const folder = await mkdtemp(join(dir, 'full-'));
      const baseline = join(folder, 'baseline.json');
      const first = [
        'coverage',
        await file('first', all.slice(0, 10)),
        '--baseline',
        baseline,
        '--write-baseline',
      ];
      expect((await cli(first)).status).toBe(0);
      const before = await readFile(baseline, 'utf8');
      // The disk fills after 4,096 bytes of the write, as it did in the report.
      const full: WriteSeam = {
        rename,
        open: (async (...args: Parameters<typeof open>) => {
          const handle = await open(...args);
          const writeFile = async (data: string) => {
            await handle.write(data.slice(0, 4096));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          };
          return new Proxy(handle, {
            get: (target, key) =>
              key === 'writeFile'
                ? writeFile
                : (Reflect.get(target, key, target)?.bind?.(target) ?? Reflect.get(target, key, target)),
          });
        }) as typeof open,
      };
      const more = await file('more', all.slice(0, 20));
      const { status, stdout, stderr } = await cli(
        ['coverage', more, '--baseline', baseline, '--write-baseline'],
        {},
        undefined,
        { writeSeam: full },
      );
      expect(status).toBe(2);
      expect(stdout).toContain('Covered 20/');
      expect(stderr).toContain(`--baseline "${baseline}"`);
      expect(stderr).toContain('ENOSPC');
      expect(stderr).toContain('it is unchanged');
      expect(await readFile(baseline, 'utf8')).toBe(before);
      expect(await readdir(folder)).toEqual(['baseline.json']);
    });

    it('runs writing one baseline at once: each adds its items, none is lost', async () => {
      const folder = await mkdtemp(join(dir, 'concurrent-'));
      const baseline = join(folder, 'baseline.json');
      const jobs = [0, 1, 2, 3].map((k) => all.filter((_, i) => i % 4 === k));
      const paths = await Promise.all(jobs.map((ids, k) => file(`job-${k}`, ids)));
      // Held until every run has read the baseline (there is none yet) and printed its report: then all write at once.
      const lock = `${baseline}.lock`;
      await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
      let printed = 0;
      const release = () => {
        if (++printed === jobs.length) void rm(lock);
      };
      const runs = await Promise.all(
        paths.map((path) => run([path, '--baseline', baseline, '--write-baseline'], release)),
      );
      expect(runs.map((r) => r.stderr)).toEqual(jobs.map(() => ''));
      expect(runs.map((r) => r.status)).toEqual(jobs.map(() => 0));
      const written = JSON.parse(await readFile(baseline, 'utf8')) as CoverageData;
      expect(Object.keys(written.exercised).sort()).toEqual([...all].sort());
      expect(written.source.split(' + ').sort()).toEqual(jobs.map((_, k) => `job-${k}`));
      expect(await readdir(folder)).toEqual(['baseline.json']);
    });

    it('a lock a gone run left is taken over; one a live run holds is waited for, then refused, naming it', async () => {
      const folder = await mkdtemp(join(dir, 'locks-'));
      const baseline = join(folder, 'baseline.json');
      const lock = `${baseline}.lock`;
      const gone = spawnSync('true').pid; // a process that has exited: its PID names no one now
      await writeFile(lock, JSON.stringify({ pid: gone, host: hostname() }));
      const args = [await file('locked', all.slice(0, 5)), '--baseline', baseline, '--write-baseline'];
      expect((await run(args, () => {})).status).toBe(0);
      expect(await readdir(folder)).toEqual(['baseline.json']);
      const before = await readFile(baseline, 'utf8');
      await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
      const held = await run(args, () => {}, { lockWaitMs: 50 });
      expect(held.status).toBe(2);
      expect(held.stderr).toContain(`its lock ${lock} was held`);
      expect(await readFile(baseline, 'utf8')).toBe(before);
      // An old lock is a crashed run's whatever it names.
      const old = new Date(Date.now() - 2 * LOCK_STALE_MS);
      await utimes(lock, old, old);
      expect((await run(args, () => {})).status).toBe(0);
      expect(await readdir(folder)).toEqual(['baseline.json']);
    });

    it('a run that names the baseline through a link takes the same lock as one that names the file', async () => {
      const folder = await mkdtemp(join(dir, 'link-lock-'));
      const baseline = join(folder, 'baseline.json');
      const link = join(folder, 'link.json');
      const args = (path: string) => ['--baseline', path, '--write-baseline'];
      expect((await run([await file('real', all.slice(0, 5)), ...args(baseline)], () => {})).status).toBe(0);
      await symlink(baseline, link);
      const lock = `${await realpath(baseline)}.lock`;
      await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname() }));
      const held = await run([await file('linked', all.slice(0, 10)), ...args(link)], () => {}, {
        lockWaitMs: 50,
      });
      expect(held.stderr).toContain(`its lock ${lock} was held`);
      expect(held.status).toBe(2);
      await rm(lock);
    });

    it('a lock made but not written (a full disk) is removed, so the next run takes it at once', async () => {
      const folder = await mkdtemp(join(dir, 'lock-full-'));
      const baseline = join(folder, 'baseline.json');
      const full = (async (...args: Parameters<typeof open>) => {
        const handle = await open(...args);
        return new Proxy(handle, {
          get: (target, key) =>
            key === 'writeFile'
              ? () =>
                  Promise.reject(
                    Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
                  )
              : (Reflect.get(target, key, target)?.bind?.(target) ?? Reflect.get(target, key, target)),
        });
      }) as typeof open;
      const work = vi.fn(async () => 'written');
      const failed = withLock(baseline, { named: 'the baseline', seam: { open: full } }, work);
      await expect(failed).rejects.toThrow(/^the baseline: its lock .* cannot be made \(ENOSPC\)$/);
      expect(work).not.toHaveBeenCalled();
      expect(await readdir(folder)).toEqual([]);
      expect(await withLock(baseline, { named: 'the baseline', waitMs: 0 }, work)).toBe('written');
    });

    it('a stop while waiting for the lock ends the run with its status; the baseline is unchanged', async () => {
      const folder = await mkdtemp(join(dir, 'lock-stop-'));
      const baseline = join(folder, 'baseline.json');
      await writeFile(`${baseline}.lock`, JSON.stringify({ pid: process.pid, host: hostname() }));
      const controller = new AbortController();
      const args = [await file('lock-stop', all), '--baseline', baseline, '--write-baseline'];
      // Stopped once it has printed its report and waits for the lock (it polls it).
      const stop = () => setTimeout(() => controller.abort(new Stopped('SIGTERM')), 100);
      const stopped = await run(args, stop, { signal: controller.signal });
      expect(stopped.status).toBe(EXIT.SIGTERM);
      await expect(readFile(baseline)).rejects.toThrow();
    });
  });
});
