// verify --fuzz --export-tests DIR: each confirmed failure becomes a node:test file that fails against the
// faulty service and passes against a fixed one; what came from the service or the case is escaped and
// bounded in it, no credential is written into it, and a folder that cannot hold it is refused up front.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { schemaRules } from '../../generated/schema-rules.js';
import {
  BASE_URL_VARIABLE,
  type ExportedFailure,
  fileNameOf,
  MAX_EXPORTED_FINDING,
  testFileOf,
} from '../../src/cli/export-tests.ts';
import { main } from '../../src/cli/main.ts';
import { type BindingsFake, createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample, jsonType } from '../support/contract.ts';
import { fuzz, listPathOf, name, service } from './fuzz-service.ts';

const run = promisify(execFile);

/** `node --test FILE` against a service: its exit status (0 when the exported test passed). */
async function nodeTest(file: string, url: string, env: Record<string, string>): Promise<number> {
  const { PATH = '' } = process.env;
  return run(process.execPath, ['--test', file], { env: { PATH, [BASE_URL_VARIABLE]: url, ...env } }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
}

// The meta's first required field, as the contract lists it: left out of a list's answer by the faulty service.
const [metaField] = schemaRules.ListServiceBindingResponseMeta.required ?? [];

describe('verify --fuzz --export-tests DIR', () => {
  it.each([
    [
      'an invalid value answered 200 (a negative Page): the status the contract gives it',
      async (url: URL, request: Request) => {
        if (!listPathOf(url) || !/^-/.test(url.searchParams.get(name('page')) ?? '')) return undefined;
        url.searchParams.delete(name('page'));
        return createBindingsFake({ bindings: [bindingExample] }).handle(new Request(url, request));
      },
      '1',
    ],
    [
      "a list's meta without a field the contract requires (for PageSize 100): the body's schema rule",
      async (url: URL, request: Request) => {
        if (!listPathOf(url) || url.searchParams.get(name('pageSize')) !== '100') return undefined;
        const answer = await createBindingsFake({ bindings: [bindingExample] }).handle(request);
        const page = (await answer.json()) as { meta: Record<string, unknown> };
        delete page.meta[metaField as string];
        return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': jsonType } });
      },
      '1',
    ],
    [
      'a filter ignored for an identity outside ASCII: what the page holds against what the case asked',
      async (url: URL, request: Request, fake: BindingsFake) => {
        const identities = url.searchParams.getAll(name('identity'));
        if (!listPathOf(url) || !identities.some((v) => /[^\x20-\x7e]/.test(v))) return undefined;
        url.searchParams.delete(name('identity'));
        return fake.handle(new Request(url, request));
      },
      '3',
    ],
  ])(
    '%s: the exported test fails against the faulty service, and passes against a fixed one',
    {
      timeout: 60_000,
    },
    async (_what, fault, seed) => {
      const dir = await mkdtemp(join(tmpdir(), 'exported-'));
      // Over HTTP too: the exported test runs in a process of its own.
      const broken = await service(fault, { http: true });
      const fixed = await service(undefined, { http: true });
      try {
        const { status, stdout } = await fuzz(broken.url, broken.env, [
          '--seed',
          seed,
          '--export-tests',
          join(dir, 'regressions'),
        ]);
        expect(status, stdout).toBe(1);
        const files = await readdir(join(dir, 'regressions'));
        expect(files).toEqual([
          expect.stringMatching(/^fuzz_list-ListServiceBinding-(in)?valid-seed-\d+\.test\.mjs$/),
        ]);
        const file = join(dir, 'regressions', files[0] as string);
        expect(stdout).toContain(`exported as ${file}`);
        const text = await readFile(file, 'utf8');
        expect(text).toMatch(
          new RegExp(
            `^// Finding: .+\n// Seed: ${seed}\n// Replay: "bindings-contract verify .*--seed ${seed} --replay fuzz_list`,
            'm',
          ),
        );
        expect(text).not.toContain(broken.env.BINDINGS_PASSWORD);
        expect(await nodeTest(file, broken.httpUrl, broken.env)).not.toBe(0);
        expect(await nodeTest(file, fixed.httpUrl, fixed.env)).toBe(0);
      } finally {
        await Promise.all([broken.close(), fixed.close(), rm(dir, { recursive: true, force: true })]);
      }
    },
  );

  it('writes what came from the service or the case escaped and bounded: the file parses, its header stays comments, a hostile finding runs nothing', async () => {
    // A comment's end, line terminators, a quote that would end a literal, a template's placeholder, NUL.
    const hostile = `*/\n\u2028'); process.exit(0); //\`\${x}\`\u2029\r\\\0`;
    const failure: ExportedFailure = {
      check: 'fuzz_list/ListServiceBinding/../../valid',
      operation: 'ListServiceBinding',
      valid: true,
      pages: true,
      target: `/v1/'+process.exit(0)+'`,
      finding: hostile.repeat(1_000),
      seed: 7,
      replay: hostile,
      credentialVariables: ['BINDINGS_USERNAME', 'BINDINGS_PASSWORD'],
      timeoutMs: 1_000,
      maxResponseBytes: 1_000,
    };
    const text = testFileOf(failure);
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    const header = text.split('\n').slice(0, 5);
    expect(header.every((line) => line.startsWith('// '))).toBe(true);
    expect((header[1] as string).length).toBeLessThan(MAX_EXPORTED_FINDING * 7);
    expect(fileNameOf(failure.check, failure.seed)).toMatch(/^[A-Za-z0-9_.-]+$/);
    const dir = await mkdtemp(join(tmpdir(), 'exported-'));
    try {
      const file = join(dir, fileNameOf(failure.check, failure.seed));
      await writeFile(file, text);
      // Against no service (port 9, discard): the test runs, and fails on the request, never exits 0 early.
      expect(
        await nodeTest(file, 'http://127.0.0.1:9', {
          BINDINGS_USERNAME: 'AC-consumer',
          BINDINGS_PASSWORD: 'p',
        }),
      ).not.toBe(0);
      await run(process.execPath, ['--check', file]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['without --fuzz', (file: string) => ['--export-tests', file], /--export-tests needs --fuzz N/],
    [
      'a file, not a folder',
      (file: string) => ['--fuzz', '2', '--export-tests', file],
      /is a file, not a folder/,
    ],
  ])('is refused %s (exit 2, nothing sent)', async (_what, args, said) => {
    const dir = await mkdtemp(join(tmpdir(), 'exported-'));
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    let stderr = '';
    try {
      const status = await main(
        ['verify', '--base-url', 'http://127.0.0.1:9', ...args(file)],
        {
          BINDINGS_USERNAME: 'AC-consumer',
          BINDINGS_PASSWORD: 'Zq9vWk2mLt',
        },
        {
          stdout: () => {},
          stderr: (t) => {
            stderr += t;
          },
        },
      );
      expect(status).toBe(2);
      expect(stderr).toMatch(said);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
