// 3. Bundle: minified and gzipped bytes of a "fetch one binding" program, ours (browser) and twilio-node (node).
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { CREDENTIALS, SIDS } from './contract.ts';

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

export async function bundles() {
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
