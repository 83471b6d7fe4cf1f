// The client, bundled for the browser from the package's own entry, in a page on one local origin,
// fetching a binding from the Prism mock on another: a real cross-origin request with Basic auth.
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.ts';
import { type PrismMock, startPrism } from '../../src/cli/prism.ts';
import { bindingExample, exampleAccountSid, exampleSids, invalidSids } from '../support/contract.ts';
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
