// 12. This build against the last release, in the same run: the figures a round must not make worse.
// bench/run.ts builds the release from git into build/bench-release/<version>/ (its own scripts, this
// repository's node_modules); this section loads both builds into one process and interleaves their rounds,
// so a figure of each is measured under the same conditions, and judges each by the release's own spread.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBindingsClient } from 'conversations-bindings-contract';
import { createBindingsFake } from 'conversations-bindings-contract/testing';
import { validateServiceBinding } from '../generated/validators.js';
import { measure } from '../scripts/check-size.ts';
import { CREDENTIALS, exampleBody, SIDS } from './contract.ts';
import { costPer } from './meter.ts';
import { stubFetch } from './overhead.ts';
import { RELEASE, releaseDir } from './release-build.ts';
import { type Section, table, type Verdict, x } from './report.ts';
import { interleaved, type Summary, spread } from './stats.ts';
import { startTarget } from './targets.ts';

const fromRelease = (path: string) => import(pathToFileURL(join(releaseDir, path)).href);

const CALLS = 2000;
/** Over loopback, as section 1 measures it (sequential, from the same target process). */
const LOOPBACK_CALLS = 200;
const VALIDATIONS = 20_000;
const FAKE_REQUESTS = 10_000;
/** Past the release's own upper quartile, a figure must also be more than this much worse to count. */
const NOISE = 0.1;

type Client = { fetchBinding: (p: typeof SIDS) => Promise<unknown> };
type MakeClient = (options: Record<string, unknown>) => Client;
type MakeFake = (options: Record<string, unknown>) => { fetch: typeof fetch };

const perCall = (count: number, call: () => Promise<unknown>) => async () =>
  (
    await costPer(count, async () => {
      for (let i = 0; i < count; i++) await call();
    })
  ).wall;

function validations(validate: (value: unknown) => boolean) {
  const parsed: unknown = JSON.parse(exampleBody);
  if (!validate(parsed)) throw new Error("the contract's fetch example fails its own schema");
  return async () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < VALIDATIONS; i++) if (!validate(parsed)) throw new Error('the example failed');
    return Number(process.hrtime.bigint() - start) / 1e3 / VALIDATIONS;
  };
}

/** Worse than the release by more than noise: past its upper quartile, and past its median by NOISE. */
function notWorse(target: string, now: Summary | undefined, then: Summary | undefined): Verdict {
  const value = now && then ? now.median / then.median : Number.NaN;
  const met = !!now && !!then && (now.median <= then.p75 || value <= 1 + NOISE);
  return { target, measured: x(value), met };
}

export const releaseSection: Section = {
  number: 12,
  title: `Against the last release (${RELEASE.version})`,
  async run({ rounds }) {
    const release = {
      createBindingsClient: (await fromRelease('dist/src/client/index.js'))
        .createBindingsClient as MakeClient,
      createBindingsFake: (await fromRelease('dist/src/testing/index.js')).createBindingsFake as MakeFake,
      validateServiceBinding: (await fromRelease('generated/validators.js')).validateServiceBinding as (
        value: unknown,
      ) => boolean,
    };
    const now = { createBindingsClient: createBindingsClient as unknown as MakeClient, createBindingsFake };
    const inMemory = (make: MakeClient) =>
      make({ ...CREDENTIALS, baseUrl: 'http://in-memory.invalid', fetch: stubFetch, retry: false });
    const overFake = (make: MakeClient, fake: MakeFake) =>
      make({ ...CREDENTIALS, fetch: fake({ credentials: CREDENTIALS }).fetch, retry: false });
    const [clientNow, clientThen] = [
      inMemory(now.createBindingsClient),
      inMemory(release.createBindingsClient),
    ];
    const target = await startTarget('server.ts');
    const overLoopback = (make: MakeClient) => make({ ...CREDENTIALS, baseUrl: target.url, retry: false });
    const [loopNow, loopThen] = [
      overLoopback(now.createBindingsClient),
      overLoopback(release.createBindingsClient),
    ];
    const [fakeNow, fakeThen] = [
      overFake(now.createBindingsClient, now.createBindingsFake as unknown as MakeFake),
      overFake(release.createBindingsClient, release.createBindingsFake),
    ];
    const NOW = 'this build';
    const THEN = RELEASE.version;
    const figures = {
      call: 'fetchBinding over an in-memory fetch (µs per call)',
      validate: 'validateServiceBinding of the fetch example (µs)',
      fake: 'the fake in-process, fetchBinding through fake.fetch (µs per request)',
      loopback: 'fetchBinding over loopback, sequential (µs per request, wall)',
    };
    const measured = await interleaved(
      {
        [`${figures.loopback}|${NOW}`]: perCall(LOOPBACK_CALLS, () => loopNow.fetchBinding(SIDS)),
        [`${figures.loopback}|${THEN}`]: perCall(LOOPBACK_CALLS, () => loopThen.fetchBinding(SIDS)),
        [`${figures.call}|${NOW}`]: perCall(CALLS, () => clientNow.fetchBinding(SIDS)),
        [`${figures.call}|${THEN}`]: perCall(CALLS, () => clientThen.fetchBinding(SIDS)),
        [`${figures.validate}|${NOW}`]: validations(validateServiceBinding as (value: unknown) => boolean),
        [`${figures.validate}|${THEN}`]: validations(release.validateServiceBinding),
        [`${figures.fake}|${NOW}`]: perCall(FAKE_REQUESTS, () => fakeNow.fetchBinding(SIDS)),
        [`${figures.fake}|${THEN}`]: perCall(FAKE_REQUESTS, () => fakeThen.fetchBinding(SIDS)),
      },
      rounds,
    ).finally(() => target.stop());
    const root = join(import.meta.dirname, '..');
    const [sizesNow, sizesThen] = [await measure(root), await measure(releaseDir)];
    const rows = Object.values(figures).map((figure) => {
      const [a, b] = [measured[`${figure}|${NOW}`], measured[`${figure}|${THEN}`]];
      return { figure, a, b };
    });
    const entries = sizesNow.map((m) => ({ m, released: sizesThen.find((t) => t.entry === m.entry) }));
    return {
      markdown: [
        `## 12. Against the last release (${RELEASE.version}, commit ${RELEASE.commit.slice(0, 7)}, built from git in this run; rounds interleaved in one process)`,
        '',
        ...table(
          ['figure', 'this build', RELEASE.version, `this build vs ${RELEASE.version}`],
          rows.map(({ figure, a, b }) => [
            figure,
            a ? spread(a, 'µs', 2) : '–',
            b ? spread(b, 'µs', 2) : '–',
            a && b ? x(a.median / b.median) : '–',
          ]),
        ),
        '',
        ...table(
          ['entry (loaded at once, gzip)', 'this build', RELEASE.version, 'budget'],
          entries.map(({ m, released }) => [
            `\`${m.entry}\``,
            `${m.gzipBytes.toLocaleString('en-US')} B`,
            released ? `${released.gzipBytes.toLocaleString('en-US')} B` : '–',
            `${m.maxGzipBytes.toLocaleString('en-US')} B`,
          ]),
        ),
        '',
        `A figure is worse than the release's only past both its upper quartile there and ${NOISE * 100}% over its median.`,
      ],
      verdicts: [
        ...rows.map(({ figure, a, b }) =>
          notWorse(`vs ${RELEASE.version}: ${figure}, not worse beyond noise`, a, b),
        ),
        {
          target: `vs ${RELEASE.version}: the client entry at once within its budget`,
          measured: `${entries.find((e) => e.m.entry === '.')?.m.gzipBytes.toLocaleString('en-US')} B`,
          met: entries.find((e) => e.m.entry === '.')?.m.ok ?? false,
        },
      ],
    };
  },
};
