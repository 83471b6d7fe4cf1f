// The client entry runs outside Node: it bundles for the browser with nothing from `node:`.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../src/client/basic-auth.ts';

describe('the client entry', () => {
  it('bundles for the browser and imports nothing from node:', async () => {
    const result = await build({
      entryPoints: ['src/client/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.startsWith('node_modules/openapi-fetch/'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:') || i.includes('src/cli/'))).toEqual([]);
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(imports).toEqual([]);
  });
});

describe('basicAuthorization', () => {
  it.each([
    ['ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'token'],
    ['SKkey', 'pässwörd-€-😀'],
    ['user', 'with:colon'],
  ])('encodes %s / %s as UTF-8 then base64, like Buffer would', (user, pass) => {
    expect(basicAuthorization(user, pass)).toBe(
      `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`,
    );
  });
});
