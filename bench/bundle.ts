// 3. Bundle: minified and gzipped bytes of a "fetch one binding" program, ours (browser) and twilio-node (node).
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
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
  const results: Record<string, { minified: number; gzip: number }> = {};
  for (const [name, { platform, source }] of Object.entries(ENTRIES)) {
    const out = await build({
      stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform,
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]?.text ?? '';
    results[name] = { minified: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length };
  }
  return results;
}

const SDK = 'twilio-node 6';
const OURS = 'conversations-bindings-contract';
const MAX_GZIP = 8 * 1024;

export const bundleSection: Section = {
  number: 3,
  title: 'Bundle of a "fetch one binding" program',
  async run() {
    const sizes = await bundles();
    const sdkGzip = sizes[SDK]?.gzip ?? Number.NaN;
    const ourGzip = sizes[OURS]?.gzip ?? Number.NaN;
    return {
      markdown: [
        '## 3. Bundle of a "fetch one binding" program (esbuild, minified; ours for the browser, twilio-node for Node)',
        '',
        ...table(
          ['package', 'minified', 'gzip', 'twilio-node vs it (gzip)'],
          Object.entries(sizes).map(([name, s]) => [
            name,
            fmt(s.minified / 1024, 'KB'),
            fmt(s.gzip / 1024, 'KB'),
            x(sdkGzip / s.gzip),
          ]),
        ),
      ],
      verdicts: [
        { target: 'bundle ≤ 8 KB gzip', measured: fmt(ourGzip / 1024, 'KB'), met: ourGzip <= MAX_GZIP },
        {
          target: 'bundle ≥ 50× smaller than twilio-node',
          measured: x(sdkGzip / ourGzip),
          met: sdkGzip / ourGzip >= 50,
        },
      ],
    };
  },
};
