// The contract coverage page in a real browser: one self-contained page, offline (no request leaves it),
// a table per operation and schema, covered outcomes in green and missing ones in red; a screenshot is kept.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageModel } from '../../generated/coverage-model.js';
import { root } from '../../scripts/paths.ts';
import { measure } from '../../src/cli/coverage-report.ts';
import { coverageHtml } from '../../src/cli/coverage-reporters.ts';
import { COVERAGE_FORMAT, type CoverageData } from '../../src/testing/index.ts';
import { launchChromium, serveStatic } from './support.ts';

let browser: Browser;
let site: Awaited<ReturnType<typeof serveStatic>>;
const covered = coverageModel.items.filter((_, i) => i % 3 !== 0).map((i) => i.id);

beforeAll(async () => {
  const data: CoverageData = {
    format: COVERAGE_FORMAT,
    version: 1,
    contract: { ...coverageModel.contract },
    source: 'a browser test',
    exercised: Object.fromEntries(covered.map((id) => [id, 1])),
  };
  site = await serveStatic(root, { '/index.html': coverageHtml(measure(data)) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the coverage page', () => {
  it('shows every outcome, covered in green and missing in red, offline', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${site.origin}/`, { waitUntil: 'networkidle' });
    expect(await page.locator('tr.covered').count()).toBe(covered.length);
    expect(await page.locator('tr.missing').count()).toBe(coverageModel.items.length - covered.length);
    const colour = (selector: string) =>
      page
        .locator(selector)
        .first()
        .locator('td')
        .first()
        .evaluate((td) => getComputedStyle(td).backgroundColor);
    const [green, red] = [await colour('tr.covered'), await colour('tr.missing')];
    const channels = (rgb: string) => rgb.match(/\d+/g)?.map(Number) ?? [];
    const [gr = 0, gg = 0] = channels(green);
    const [rr = 0, rg = 0] = channels(red);
    expect(gg).toBeGreaterThan(gr);
    expect(rr).toBeGreaterThan(rg);
    await expect(page.locator('h2').count()).resolves.toBe(
      new Set(coverageModel.items.map((i) => i.scope)).size,
    );
    expect(requests).toEqual([`${site.origin}/`]);
    const shots = join(root, 'build/screenshots');
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'contract-coverage.png'), fullPage: false });
  });
});
