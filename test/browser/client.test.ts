// The client, bundled for the browser from the package's own entry, in a page on one local origin,
// against a mock on another: real cross-origin requests with Basic auth (preflighted), to the Prism mock,
// and to `mock --stateful` as the package's own command line runs it (its list, fetch and delete).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.ts';
import { type PrismMock, startPrism } from '../../src/cli/prism.ts';
import {
  bindingExample,
  exampleAccountSid,
  exampleSids,
  invalidSids,
  statusOf,
} from '../support/contract.ts';
import { launchChromium, serveStatic } from './support.ts';

const PAGE = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>bindings client</title></head>
  <body>
    <p>identity: <span id="identity">(none)</span></p>
    <p>error: <span id="error">(none)</span></p>
    <script type="module">
      import { createBindingsClient, InvalidParameterError } from './client.js';
      const api = new URLSearchParams(location.search).get('api');
      const client = createBindingsClient({ username: '${exampleAccountSid}', password: 'browser-token', baseUrl: api });
      window.showIdentity = async (params) => {
        const binding = await client.fetchBinding(params);
        document.getElementById('identity').textContent = binding.identity;
      };
      window.showError = async (params) => {
        try {
          await client.fetchBinding(params);
        } catch (error) {
          const kind = error instanceof InvalidParameterError ? 'InvalidParameterError' : error.name;
          document.getElementById('error').textContent = kind + ' ' + error.parameter;
        }
      };
      // Against mock --stateful: list the service's bindings, fetch one, delete it, and fetch it again.
      window.exercise = async ({ baseUrl, username, password, chatServiceSid, sid }) => {
        const stateful = createBindingsClient({ username, password, baseUrl });
        try {
          const listed = [];
          for await (const binding of stateful.listBindings({ chatServiceSid })) listed.push(binding.sid);
          const fetched = await stateful.fetchBinding({ chatServiceSid, sid });
          await stateful.deleteBinding({ chatServiceSid, sid });
          const after = await stateful.fetchBinding({ chatServiceSid, sid }).then(
            () => 'still served',
            (error) => error.name + ' ' + error.status,
          );
          return { listed, fetched: fetched.sid, after };
        } catch (error) {
          return { failed: error.name + ': ' + error.message };
        }
      };
      window.ready = true;
    </script>
  </body>
</html>`;

let browser: Browser;
let prism: PrismMock;
let site: Awaited<ReturnType<typeof serveStatic>>;
let page: Page;
const requests: { url: string; method: string }[] = [];

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: "export * from 'conversations-bindings-contract';", resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  [prism, site, browser] = await Promise.all([
    startPrism(),
    serveStatic(root, { '/index.html': PAGE, '/client.js': bundle.outputFiles[0]?.text ?? '' }),
    launchChromium(),
  ]);
  page = await browser.newPage();
  page.on('request', (request) => requests.push({ url: request.url(), method: request.method() }));
  await page.goto(`${site.origin}/?api=${encodeURIComponent(prism.url)}`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), prism?.stop()]);
});

describe('the client in Chromium', () => {
  it('fetches a binding cross-origin with Basic auth, and the page shows its identity', async () => {
    expect(new URL(site.origin).origin).not.toBe(new URL(prism.url).origin);
    const responses: { url: string; allowOrigin: string | null }[] = [];
    page.on('response', (r) =>
      responses.push({ url: r.url(), allowOrigin: r.headers()['access-control-allow-origin'] ?? null }),
    );
    await page.evaluate(
      (params) => (window as unknown as { showIdentity: (p: unknown) => Promise<void> }).showIdentity(params),
      exampleSids,
    );
    await expect(page.locator('#identity').textContent()).resolves.toBe(bindingExample.identity);
    const api = responses.find((r) => r.url.startsWith(prism.url));
    expect(api?.allowOrigin).toBeTruthy();
  });

  it('raises InvalidParameterError for an invalid SID and makes no request', async () => {
    const before = requests.length;
    await page.evaluate(
      (params) => (window as unknown as { showError: (p: unknown) => Promise<void> }).showError(params),
      {
        ...exampleSids,
        sid: `${invalidSids('Sid')['one character short']}/../../etc/passwd`,
      },
    );
    await expect(page.locator('#error').textContent()).resolves.toBe('InvalidParameterError sid');
    expect(requests.slice(before)).toEqual([]);
  });
});

/** `bindings-contract mock --stateful` as a consumer runs it (the built package), and what its --ready-file says. */
async function startStatefulMock(): Promise<{ child: ChildProcess; ready: Record<string, string> }> {
  const file = join(mkdtempSync(join(tmpdir(), 'stateful-mock-')), 'ready.json');
  const bin = join(root, 'dist/src/cli/bin.js');
  const child = spawn(process.execPath, [bin, 'mock', '--stateful', '--port', '0', '--ready-file', file], {
    stdio: 'ignore',
    env: {},
  });
  for (let i = 0; i < 400 && !existsSync(file) && child.exitCode === null; i++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  return { child, ready: JSON.parse(readFileSync(file, 'utf8')) };
}

describe('the client in Chromium against mock --stateful on another origin', () => {
  let mock: Awaited<ReturnType<typeof startStatefulMock>> | undefined;
  afterAll(() => {
    mock?.child.kill('SIGTERM');
  });

  it('lists, fetches and deletes (each request preflighted, as Basic auth makes it): the delete sticks', async () => {
    mock = await startStatefulMock();
    const { url, username, password, deleteBindingSid } = mock.ready;
    expect(new URL(site.origin).origin).not.toBe(new URL(url as string).origin);
    const statefulPage = await browser.newPage();
    await statefulPage.goto(`${site.origin}/`);
    await statefulPage.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const params = {
      baseUrl: url,
      username,
      password,
      chatServiceSid: exampleSids.chatServiceSid,
      sid: deleteBindingSid,
    };
    const result = await statefulPage.evaluate(
      (p) => (window as unknown as { exercise: (p: unknown) => Promise<unknown> }).exercise(p),
      params,
    );
    expect(result).toEqual({
      listed: expect.arrayContaining([exampleSids.sid, deleteBindingSid]),
      fetched: deleteBindingSid,
      after: `ApiError ${statusOf('NotFound')}`,
    });
  });
});
