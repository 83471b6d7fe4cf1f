// Contract coverage: the model generated from the contract (a change to the contract changes the items),
// what the fake records as it answers (in process, through MSW, over HTTP when `mock --stateful` stops),
// what `verify --coverage` records, and `bindings-contract coverage`: merge, reports, gates, bad input.
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFacts, parameterOf, parameterRules, server } from '../../generated/contract.js';
import { coverageModel } from '../../generated/coverage-model.js';
import type { OpenApiDocument } from '../../scripts/bundle-spec.ts';
import { coverageModel as modelOf } from '../../scripts/generate-coverage-model.ts';
import { MAX_COVERAGE_FILE_BYTES } from '../../src/cli/coverage-report.ts';
import { serveFake } from '../../src/cli/fake-server.ts';
import { EXIT, Stopped } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { MAX_QUOTE } from '../../src/cli/said.ts';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { type Binding, createBindingsClient } from '../../src/client/index.ts';
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

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
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
      source: 'fake',
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

  it('json, junit (an uncovered item is a failed test case) and html reports', async () => {
    const path = await file('half', all.slice(0, 50));
    const json = JSON.parse((await cli(['coverage', path, '--reporter', 'json'])).stdout);
    expect(json.overall).toEqual({ covered: 50, total: all.length });
    const junit = (await cli(['coverage', path, '--reporter', 'junit'])).stdout;
    expect(XMLValidator.validate(junit)).toBe(true);
    const suites = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      junit,
    ).testsuites;
    expect(Number(suites.failures)).toBe(all.length - 50);
    const html = (await cli(['coverage', path, '--reporter', 'html'])).stdout;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/class="missing"/g)).toHaveLength(all.length - 50);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3)/);
  });

  // A named pipe holds the run inside its first file's read: the stop comes in there, before the next file.
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
      const writer = await open(pipe, 'w');
      controller.abort(new Stopped('SIGINT'));
      await writer.writeFile(await readFile(await file('held', all)));
      await writer.close();
      const stopped = await run;
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
    await truncate(huge, MAX_COVERAGE_FILE_BYTES + 1024 * 1024);
    const { status, stderr } = await cli(['coverage', await file('small', all), ...args(huge)]);
    expect(status).toBe(2);
    expect(stderr).toContain(`${flag.startsWith('--') ? `${flag} ` : ''}"${huge}"`);
    expect(stderr).toContain(`${MAX_COVERAGE_FILE_BYTES / 1024 / 1024} MiB`);
  });

  // A device has no size to refuse it by: the read itself stops at the limit (it once went on to 2 GiB).
  it.skipIf(process.platform === 'win32')(
    'a file with no size (/dev/zero) is read up to the limit',
    async () => {
      const { status, stderr } = await cli(['coverage', '/dev/zero']);
      expect(status).toBe(2);
      expect(stderr).toContain('"/dev/zero"');
      expect(stderr).toContain(`is larger than ${MAX_COVERAGE_FILE_BYTES / 1024 / 1024} MiB`);
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
});
