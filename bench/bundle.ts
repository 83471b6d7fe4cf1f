// 3. Bundle: minified and gzipped bytes of a "fetch one binding" program, ours (browser) and twilio-node
// (node), bundled as `npm run size` bundles (split at dynamic imports): what loads at once, and on demand.
import { join } from 'node:path';
import { type BundleSize, bundleSize, measure } from '../scripts/check-size.ts';
import { CREDENTIALS, SIDS } from './contract.ts';
import { type Section, table, x } from './report.ts';
import { fmt } from './stats.ts';

const { username } = CREDENTIALS;
const { chatServiceSid, sid } = SIDS;

const ENTRIES = {
  'conversations-bindings-contract': {
    platform: 'browser' as const,
    source: `import { createBindingsClient } from 'conversations-bindings-contract';
const client = createBindingsClient({ username: '${username}', password: 'token' });
client.fetchBinding({ chatServiceSid: '${chatServiceSid}', sid: '${sid}' }).then(console.log);`,
  },
  'twilio-node 6': {
    platform: 'node' as const,
    source: `import twilio from 'twilio';
const client = twilio('${username}', 'token');
client.conversations.v1.services('${chatServiceSid}').bindings('${sid}').fetch().then(console.log);`,
  },
};

async function bundles() {
  const results: Record<string, BundleSize> = {};
  for (const [name, { platform, source }] of Object.entries(ENTRIES))
    results[name] = await bundleSize(source, { resolveDir: import.meta.dirname, platform });
  return results;
}

const SDK = 'twilio-node 6';
const OURS = 'conversations-bindings-contract';
/** The target for a one-call program: 9 KiB (9,216 B) gzip, loaded at once. */
const MAX_GZIP = 9 * 1024;

export const bundleSection: Section = {
  number: 3,
  title: 'Bundle of a "fetch one binding" program',
  async run() {
    const sizes = await bundles();
    const sdkGzip = sizes[SDK]?.gzipBytes ?? Number.NaN;
    const ourGzip = sizes[OURS]?.gzipBytes ?? Number.NaN;
    return {
      markdown: [
        '## 3. Bundle of a "fetch one binding" program (esbuild, minified, split at dynamic imports; ours for the browser, twilio-node for Node)',
        '',
        ...table(
          [
            'package',
            'loaded at once: minified',
            'gzip',
            'twilio-node vs it (gzip)',
            'loaded on demand (gzip)',
          ],
          Object.entries(sizes).map(([name, s]) => [
            name,
            fmt(s.minifiedBytes / 1024, 'KB'),
            fmt(s.gzipBytes / 1024, 'KB'),
            x(sdkGzip / s.gzipBytes),
            fmt(s.onDemandGzipBytes / 1024, 'KB'),
          ]),
        ),
        '',
        "What loads on demand is `raw` (openapi-fetch and its glue), fetched by the program's first `client.raw` call, and the list walk, fetched with a list's first page: a program that never calls them never loads them.",
        '',
        'Each public entry as a whole (`export *`), as `npm run size` measures it against its budget (the budgets and why: docs/benchmarks.md):',
        '',
        ...table(
          ['entry', 'loaded at once: minified', 'gzip', 'budget', 'loaded on demand (gzip)', 'budget'],
          (await measure(join(import.meta.dirname, '..'))).map((m) => [
            `\`${m.entry}\``,
            `${m.minifiedBytes.toLocaleString('en-US')} B`,
            `${m.gzipBytes.toLocaleString('en-US')} B`,
            `${m.maxGzipBytes.toLocaleString('en-US')} B`,
            m.maxOnDemandGzipBytes ? `${m.onDemandGzipBytes.toLocaleString('en-US')} B` : '',
            m.maxOnDemandGzipBytes ? `${m.maxOnDemandGzipBytes.toLocaleString('en-US')} B` : '',
          ]),
        ),
      ],
      verdicts: [
        {
          target: `bundle ≤ ${MAX_GZIP.toLocaleString('en-US')} B gzip`,
          measured: `${ourGzip.toLocaleString('en-US')} B`,
          met: ourGzip <= MAX_GZIP,
        },
        {
          target: 'bundle ≥ 50× smaller than twilio-node',
          measured: x(sdkGzip / ourGzip),
          met: sdkGzip / ourGzip >= 50,
        },
      ],
    };
  },
};
