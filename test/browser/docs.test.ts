// The reference page in a real browser: it loads offline, shows the operation, both SID patterns and
// the documented errors, and a screenshot is kept for people to look at.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFacts, parameterRules } from '../../generated/contract.js';
import { buildDocs } from '../../scripts/build-docs.ts';
import { root } from '../../scripts/paths.ts';
import { errorExample, spec, statusOf } from '../support/contract.ts';
import { launchChromium, serveStatic } from './support.ts';

let browser: Browser;
let site: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  const page = await buildDocs();
  site = await serveStatic(dirname(page));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the reference page', () => {
  it('loads with no console error and no request leaving 127.0.0.1, and shows the contract', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${site.origin}/`, { waitUntil: 'networkidle' });

    const visible = (text: string) =>
      page.getByText(text).first().waitFor({ state: 'visible', timeout: 10_000 });
    const fetchPath = operationFacts.FetchServiceBinding.path;
    await visible(fetchPath);
    // Redoc renders an operation when the reader goes to it: open the fetch operation from the
    // Operations panel (its path's first entry), as a reader would.
    await page.getByText(fetchPath, { exact: true }).first().click();
    // Every operation of the contract is listed, by the summary the contract gives it.
    for (const item of Object.values(spec.paths as Record<string, Record<string, { summary?: string }>>))
      for (const operation of Object.values(item)) if (operation.summary) await visible(operation.summary);
    for (const { name } of operationFacts.FetchServiceBinding.parameters) {
      await visible((parameterRules[name] as { pattern: string }).pattern);
    }
    // The responses and the samples panel show one status at a time: pick 404 in both.
    const notFoundTab = String(statusOf('NotFound'));
    for (const tab of await page.getByRole('tab', { name: notFoundTab, exact: true }).all())
      await tab.click();
    const notFound = errorExample('NotFound').message;
    await visible(notFound);

    const shot = join(root, 'build/screenshots/reference-page.png');
    await mkdir(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });

    expect(errors).toEqual([]);
    const outside = requests.filter((url) => !/^(https?:\/\/127\.0\.0\.1[:/]|data:|blob:|about:)/.test(url));
    expect(outside).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
  });
});
