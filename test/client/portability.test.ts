// The client runs outside Node: every module of src/client bundles for the browser with nothing from
// `node:` and nothing from the Node-only command line (imports run one way: the CLI may use the client).
import { readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { exampleAccountSid } from '../support/contract.ts';

const clientModules = readdirSync(new URL('../../src/client/', import.meta.url), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `src/client/${f}`);

describe('the client', () => {
  it('has modules to check, those loaded on demand too', () => {
    expect(clientModules).toContain('src/client/index.ts');
    expect(clientModules).toContain('src/client/answers/index.ts');
  });

  it('every module bundles for the browser and imports nothing from node: or src/cli', async () => {
    const result = await build({
      entryPoints: clientModules,
      outdir: 'out',
      splitting: true,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('node_modules/openapi-fetch/'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:') || i.includes('src/cli/'))).toEqual([]);
    // Every import left in the output is one of the bundle's own chunks: nothing external at all.
    const outputs = Object.keys(result.metafile.outputs);
    const external = Object.values(result.metafile.outputs)
      .flatMap((o) => o.imports.map((i) => i.path))
      .filter((path) => !outputs.includes(path));
    expect(external).toEqual([]);
  });
});

describe('basicAuthorization', () => {
  it.each([
    [exampleAccountSid, 'token'],
    ['SKkey', 'pässwörd-€-😀'],
    ['user', 'with:colon'],
  ])('encodes %s / %s as UTF-8 then base64, like Buffer would', (user, pass) => {
    expect(basicAuthorization(user, pass)).toBe(
      `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`,
    );
  });
});
