// Pack-and-consume: the tarball `npm pack` makes, installed into a fresh project without the registry,
// compiled by strict TypeScript consumers (ES modules and CommonJS), run on Node 20 and 24, read as a
// consumer reads it (its docs and their links, its commands, its recipes), and measured against the size
// budget. Run by `npm run test:consumer` (and .ci/run).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measure } from '../../scripts/check-size.ts';
import { documents } from '../../scripts/docs-regions.ts';
import { root } from '../../scripts/paths.ts';
import { type PrismMock, startPrism } from '../../src/cli/prism.ts';
import { byAction, toolNameOf } from '../mcp/support.ts';
import { bindingExample, exampleSids } from '../support/contract.ts';
import { headingAnchors, relativeLinks, shellCommands } from '../support/markdown.ts';

const fixtures = join(root, 'test/consumer/fixtures');
const tsc = join(root, 'node_modules/.bin/tsc');
const quiet = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

let project: string;
let prism: PrismMock;
/** The paths of the files in the tarball. */
let shipped: string[] = [];
const packageDir = () => join(project, 'node_modules/conversations-bindings-contract');

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'bindings-consumer-'));
  const [tarball] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', project], {
      cwd: root,
      env: quiet,
      encoding: 'utf8',
    }),
  ) as { filename: string; files: { path: string }[] }[];
  shipped = (tarball?.files ?? []).map((f) => f.path);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  // openapi-fetch, and msw (the fake's optional peer, at the version this repo pins), from the cache
  // `npm ci` filled where it holds them; a fresh cache lacks the registry metadata an install needs.
  const { devDependencies } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const msw = devDependencies.msw as string;
  const fastCheck = devDependencies['fast-check'] as string;
  execFileSync(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-package-lock',
      join(project, tarball?.filename ?? ''),
      `msw@${msw}`,
      `fast-check@${fastCheck}`,
    ],
    {
      cwd: project,
      env: { ...quiet, npm_config_ignore_scripts: 'true' },
      stdio: 'pipe',
    },
  );
  // Vitest, for the docs' Vitest recipe: this repository's own, as a team's devDependency would be.
  await symlink(join(root, 'node_modules/vitest'), join(project, 'node_modules/vitest'));
  await symlink('../vitest/vitest.mjs', join(project, 'node_modules/.bin/vitest'));
  for (const file of ['consumer.ts', 'consumer.mjs', 'consumer.cjs', 'app.test.mjs'])
    await copyFile(join(fixtures, file), join(project, file));
  await copyFile(join(root, 'test/consumer/usage-v1.ts'), join(project, 'usage-v1.ts'));
  prism = await startPrism();
}, 180_000);

afterAll(async () => {
  await prism?.stop();
  if (project) await rm(project, { recursive: true, force: true });
});

describe('the installed package', () => {
  it.each(['app.test.mjs'])(
    "tests a consumer's application code with the fake from conversations-bindings-contract/testing (%s)",
    (file) => {
      const out = execFileSync(process.execPath, ['--test', '--test-reporter=tap', file], {
        cwd: project,
        env: quiet,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toMatch(/^# pass [1-9]\d*$/m);
      expect(out).toMatch(/^# fail 0$/m);
    },
  );

  it('has only openapi-fetch as a runtime dependency', async () => {
    const pkg = JSON.parse(
      await readFile(join(project, 'node_modules/conversations-bindings-contract/package.json'), 'utf8'),
    );
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['openapi-fetch']);
  });

  it.each([
    ['node16', 'node16'],
    ['bundler', 'esnext'],
  ])(
    'compiles strict consumers (the frozen v1 usage included) under moduleResolution %s',
    async (resolution, module) => {
      const dir = join(project, `ts-${resolution}`);
      await mkdir(dir, { recursive: true });
      const tsconfig = {
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          module,
          moduleResolution: resolution,
          types: [],
          skipLibCheck: false,
        },
        files: ['../consumer.ts', '../usage-v1.ts'],
      };
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
      expect(() =>
        execFileSync(tsc, ['-p', dir], { cwd: project, encoding: 'utf8', stdio: 'pipe' }),
      ).not.toThrow();
    },
  );

  it("a team's module and its tests (fake, MSW, a 429, a 500, a concurrent delete) compile under strict, exactOptionalPropertyTypes and noUncheckedIndexedAccess, and pass", async () => {
    const dir = join(project, 'strict');
    await mkdir(dir, { recursive: true });
    for (const file of ['cleanup.ts', 'cleanup.test.ts'])
      await copyFile(join(fixtures, 'strict', file), join(dir, file));
    const tsconfig = {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        outDir: 'out',
        typeRoots: [join(root, 'node_modules/@types')],
        types: ['node'],
        skipLibCheck: false,
      },
      files: ['cleanup.ts', 'cleanup.test.ts'],
    };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    execFileSync(tsc, ['-p', dir], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    const out = execFileSync(process.execPath, ['--test', '--test-reporter=tap', 'out/cleanup.test.js'], {
      cwd: dir,
      env: quiet,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toMatch(/^# pass 5$/m);
    expect(out).toMatch(/^# fail 0$/m);
    // Its tests wrote what they exercised of the contract; the installed command gates it.
    const bin = join(project, 'node_modules/.bin/bindings-contract');
    const gate = (min: string) =>
      spawnSync(bin, ['coverage', 'contract-coverage.json', '--min', min], { cwd: dir, encoding: 'utf8' });
    const passing = gate('30');
    expect(passing.status, passing.stdout + passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/Covered \d+\/\d+/);
    const failing = gate('100');
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/^ {2}✗ /m);
  });

  it('every TypeScript example of the README and docs/ compiles under strict and exactOptionalPropertyTypes, and runs', async () => {
    const dir = join(project, 'examples');
    await mkdir(dir, { recursive: true });
    const examples: { file: string; test: boolean; vitest: boolean }[] = [];
    for (const doc of documents()) {
      const blocks = [...(await readFile(join(root, doc), 'utf8')).matchAll(/^```ts\n([\s\S]*?)^```$/gm)];
      for (const [i, [, code = '']] of blocks.entries()) {
        const file = `${doc.replace(/\W+/g, '-')}-${i + 1}.ts`;
        examples.push({ file, test: /from 'node:test'/.test(code), vitest: /from 'vitest'/.test(code) });
        await writeFile(join(dir, file), code);
      }
    }
    expect(examples.length).toBeGreaterThanOrEqual(8);
    const tsconfig = {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        outDir: 'out',
        typeRoots: [join(root, 'node_modules/@types')],
        types: ['node'],
        skipLibCheck: false,
      },
      files: examples.map((e) => e.file),
    };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const compiled = spawnSync(tsc, ['-p', dir], { cwd: dir, encoding: 'utf8' });
    expect(compiled.stdout + compiled.stderr).toBe('');
    // An example that is not a test talks to the service: here, the fake, as the global fetch.
    await writeFile(
      join(dir, 'service.mjs'),
      [
        "import { createBindingsFake, exampleSids } from 'conversations-bindings-contract/testing';",
        'const fake = createBindingsFake();',
        'globalThis.fetch = fake.fetch;',
        'process.env.TWILIO_ACCOUNT_SID = fake.credentials.username;',
        'process.env.TWILIO_AUTH_TOKEN = fake.credentials.password;',
        'process.env.CHAT_SERVICE_SID = exampleSids.chatServiceSid;',
        'process.env.BINDING_SID = exampleSids.sid;',
      ].join('\n'),
    );
    // A Vitest setup file runs under Vitest: the Vitest recipe's own test below.
    for (const { file, test } of examples.filter((e) => !e.vitest)) {
      const js = `out/${file.replace(/\.ts$/, '.js')}`;
      const args = test ? ['--test', '--test-reporter=tap', js] : ['--import', './service.mjs', js];
      const run = spawnSync(process.execPath, args, {
        cwd: dir,
        env: quiet,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, `${file}:\n${run.stdout}\n${run.stderr}`).toBe(0);
      if (test) expect(run.stdout, file).toMatch(/^# fail 0$/m);
    }
  });

  it('names its parameter types in errors and hovers (not their expansion)', async () => {
    const dir = join(project, 'named');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'wrong.ts'),
      "import { createBindingsClient } from 'conversations-bindings-contract';\nexport const p = createBindingsClient({ username: 'u', password: 'p' }).fetchBinding({ chatServiceSid: 'IS' });\n",
    );
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        types: [],
      },
      files: ['wrong.ts'],
    };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    let said = '';
    try {
      execFileSync(tsc, ['-p', dir], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      said = String((error as { stdout?: string }).stdout);
    }
    expect(said).toContain("'FetchBindingParams'");
    expect(said).not.toContain('Flatten<');
  });

  const runtimes: [string, string[]][] = [
    [`Node ${process.versions.node}`, [process.execPath]],
    ['Node 24', ['npx', '--yes', '-p', 'node@24', 'node']],
  ];
  for (const [runtime, command] of runtimes) {
    for (const file of ['consumer.mjs', 'consumer.cjs']) {
      it(`runs ${file} on ${runtime} against the Prism mock`, () => {
        const [bin = '', ...args] = command;
        const out = execFileSync(bin, [...args, file, prism.url], {
          cwd: project,
          env: quiet,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        expect(JSON.parse(out.trim().split('\n').at(-1) ?? '')).toStrictEqual({
          binding: bindingExample,
          invalid: 'chatServiceSid',
        });
      }, 120_000);
    }
  }

  it("installs the bindings-contract command: the README's npx bindings-contract --help runs, and it says how to get Prism when it is missing", async () => {
    const readme = await readFile(join(packageDir(), 'README.md'), 'utf8');
    const help = shellCommands(readme).find((c) => c.startsWith('npx bindings-contract --help'));
    expect(help).toBeDefined();
    const said = execFileSync('sh', ['-c', help ?? ''], { cwd: project, env: quiet, encoding: 'utf8' });
    expect(said).toMatch(/bindings-contract verify .*\n.*bindings-contract mock /);
    const bin = join(project, 'node_modules/.bin/bindings-contract');
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(bin, ['mock'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(2);
    expect(failure.stderr).toMatch(
      /Prism is not installed.*npm install --save-dev @stoplight\/prism-cli@5\.14\.2/,
    );
  });

  it('starts the MCP server from the tarball (npx bindings-contract mcp, the SDK bundled, nothing more installed): its tools, a call, a docs page; no other command loads it', async () => {
    const bin = join(project, 'node_modules/.bin/bindings-contract');
    const transport = new StdioClientTransport({
      command: bin,
      args: ['mcp', '--mock', 'stateful'],
      cwd: project,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'consumer', version: '1.0.0' });
    await client.connect(transport);
    const names = (await client.listTools()).tools.map((t) => t.name);
    const fetched = await client.callTool({ name: toolNameOf(byAction('fetch')), arguments: exampleSids });
    const page = await client.readResource({ uri: 'bindings-contract://docs/mcp.md' });
    await client.close();
    expect(names).toEqual(
      expect.arrayContaining(['list_operations', 'search_docs', toolNameOf(byAction('list'))]),
    );
    expect(fetched.structuredContent).toEqual(bindingExample);
    expect(page.contents[0]).toMatchObject({
      text: await readFile(join(packageDir(), 'docs/mcp.md'), 'utf8'),
    });
    expect(existsSync(join(project, 'node_modules/@modelcontextprotocol'))).toBe(false);
    // With the bundled SDK taken away, mcp fails and every other command still runs: only mcp loads it.
    const sdk = join(packageDir(), 'dist/src/mcp/sdk.js');
    await rename(sdk, `${sdk}.away`);
    try {
      expect(spawnSync(bin, ['mcp', '--help'], { encoding: 'utf8' }).status).toBe(3);
      for (const command of ['verify', 'mock', 'coverage'])
        expect(spawnSync(bin, [command, '--help'], { encoding: 'utf8' }).status, command).toBe(0);
    } finally {
      await rename(`${sdk}.away`, sdk);
    }
  });

  it('runs verify --fuzz from the tarball with nothing more installed (fast-check bundled into the command line), while the arbitraries entry still takes the consumer’s fast-check', async () => {
    const bin = join(project, 'node_modules/.bin/bindings-contract');
    // This project installs fast-check for its property tests: taken away, the command line must not miss it.
    const fastCheck = join(project, 'node_modules/fast-check');
    await rename(fastCheck, `${fastCheck}.away`);
    try {
      const run = spawnSync(bin, ['verify', '--fuzz', '10', '--seed', '1'], {
        cwd: project,
        env: quiet,
        encoding: 'utf8',
      });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      for (const action of ['list', 'fetch', 'delete']) expect(run.stdout).toContain(`✓ fuzz_${action}`);
      // The peer entry imports fast-check itself: a consumer's properties and its arbitraries share one instance.
      const peer = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', "await import('conversations-bindings-contract/testing/arbitraries')"],
        { cwd: project, encoding: 'utf8' },
      );
      expect(peer.stderr).toMatch(/Cannot find package 'fast-check'/);
    } finally {
      await rename(`${fastCheck}.away`, fastCheck);
    }
  });

  it('ships every page the README links; every relative link of a page it ships leads to a file of the tarball, and to a heading there', async () => {
    const pages = shipped.filter((f) => f.endsWith('.md'));
    expect(pages).toEqual(expect.arrayContaining(documents()));
    const ships = (path: string) =>
      shipped.includes(path) || shipped.some((f) => f.startsWith(path.endsWith('/') ? path : `${path}/`));
    const read = (page: string) => readFile(join(packageDir(), page), 'utf8');
    const broken: string[] = [];
    for (const page of pages)
      for (const link of relativeLinks(page, await read(page))) {
        if (!ships(link.path)) broken.push(`${page}: ${link.written} is not in the tarball`);
        else if (link.anchor && link.path.endsWith('.md'))
          if (!headingAnchors(await read(link.path)).includes(link.anchor))
            broken.push(`${page}: ${link.written} names no heading of ${link.path}`);
      }
    expect(broken).toEqual([]);
  });

  /** Compiles the CommonJS fixture (a package.json without "type": "module") with `module`. */
  async function compileCommonJs(module: string) {
    const dir = join(project, `commonjs-${module}`);
    await mkdir(dir, { recursive: true });
    for (const file of ['package.json', 'app.ts'])
      await copyFile(join(fixtures, 'commonjs', file), join(dir, file));
    const tsconfig = {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module,
        outDir: 'out',
        types: [],
        skipLibCheck: false,
      },
      files: ['app.ts'],
    };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const compiled = spawnSync(tsc, ['-p', dir], { cwd: dir, encoding: 'utf8' });
    return { dir, said: compiled.stdout + compiled.stderr };
  }

  it.each(['nodenext', 'node20'])(
    'a CommonJS project in TypeScript with module %s (as docs/client.md says) compiles its imports to require() of the package, and runs',
    async (module) => {
      expect(await readFile(join(packageDir(), 'docs/client.md'), 'utf8')).toContain(`"module": "${module}"`);
      const { dir, said } = await compileCommonJs(module);
      expect(said).toBe('');
      expect(await readFile(join(dir, 'out/app.js'), 'utf8')).toContain(
        'require("conversations-bindings-contract")',
      );
      const out = execFileSync(process.execPath, ['out/app.js'], { cwd: dir, env: quiet, encoding: 'utf8' });
      expect(JSON.parse(out)).toStrictEqual({ sid: bindingExample.sid, invalid: 'sid' });
    },
  );

  it('a CommonJS project with module node16 is refused the import (TS1479), as docs/client.md says', async () => {
    expect(await readFile(join(packageDir(), 'docs/client.md'), 'utf8')).toMatch(/`node16`[^.]*TS1479/);
    const { said } = await compileCommonJs('node16');
    expect(said).toContain(
      "error TS1479: The current file is a CommonJS module whose imports will produce 'require' calls",
    );
  });

  it('the Vitest recipe of docs/testing.md: three test files in two parallel workers, a coverage file per worker, merged by coverage past a gate no file reaches alone', async () => {
    const doc = await readFile(join(packageDir(), 'docs/testing.md'), 'utf8');
    const setup = [...doc.matchAll(/^```ts\n([\s\S]*?)^```$/gm)]
      .map((m) => m[1] ?? '')
      .find((code) => code.includes("from 'vitest'"));
    const name = /^\/\/ ([\w.-]+\.ts)\b/.exec(setup ?? '')?.[1];
    expect(name, 'a Vitest setup file in docs/testing.md, its name on its first line').toBeDefined();
    // The commands that follow it: run the tests, then gate what they exercised.
    const after = doc.slice(doc.indexOf(setup ?? '') + (setup ?? '').length);
    const commands = shellCommands(/^```sh\n[\s\S]*?^```$/m.exec(after)?.[0] ?? '');
    const gate = commands.find((c) => c.startsWith('npx bindings-contract coverage '));
    expect(commands.some((c) => c.includes('npx vitest run')) && gate).toBeTruthy();
    const dir = join(project, 'vitest-workers');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, name ?? ''), setup ?? '');
    await writeFile(
      join(dir, 'vitest.config.ts'),
      `export default { test: { setupFiles: ['./${name}'], maxWorkers: 2 } };\n`,
    );
    const files = await readdir(join(fixtures, 'vitest-workers'));
    for (const file of files) await copyFile(join(fixtures, 'vitest-workers', file), join(dir, file));
    const sh = (command: string) =>
      spawnSync('sh', ['-c', command], { cwd: dir, env: quiet, encoding: 'utf8' });
    for (const command of commands) {
      const run = sh(command);
      expect(run.status, `${command}:\n${run.stdout}\n${run.stderr}`).toBe(0);
    }
    const parts = await readdir(join(dir, 'contract-coverage'));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts)
      expect(sh((gate ?? '').replace(/\S+\*\.json/, `contract-coverage/${part}`)).status, part).toBe(1);
  });

  it('keeps each entry within its size budget', async () => {
    const results = await measure(project);
    for (const r of results)
      expect(r, `${r.entry}: ${r.gzipBytes} B gzip > ${r.maxGzipBytes} B`).toMatchObject({ ok: true });
    expect(results.find((r) => r.entry === './types')?.minifiedBytes).toBe(0);
  });
});
