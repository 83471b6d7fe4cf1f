// The MCP server's SDK, bundled into dist by `npm run build`: src/mcp/sdk.ts (the one module that imports
// @modelcontextprotocol/sdk) and what it reaches, as one minified ES module, with the licence of every
// package bundled in a file beside it. The package's dependencies stay openapi-fetch alone.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { root } from './paths.ts';

/** The file tsc made of src/mcp/sdk.ts (re-exports of a package a consumer does not have), replaced. */
export const sdkBundle = 'dist/src/mcp/sdk.js';
export const sdkLicences = 'dist/src/mcp/sdk.js.LICENSES.txt';

/** A package folder under node_modules, from a path esbuild read. */
const packageOf = (input: string) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

export async function licenceOf(dir: string): Promise<string> {
  const { name, version, license } = JSON.parse(await readFile(join(root, dir, 'package.json'), 'utf8'));
  const file = (await readdir(join(root, dir))).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  const text = file
    ? await readFile(join(root, dir, file), 'utf8')
    : `License: ${license} (no licence file shipped)`;
  return `${name}@${version} (${license})\n\n${text.trim()}\n`;
}

export async function bundleMcpSdk(): Promise<void> {
  const out = join(root, sdkBundle);
  const { metafile } = await build({
    entryPoints: [join(root, 'src/mcp/sdk.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    // The CommonJS packages bundled (ajv) require Node's own modules: an ES module has no require of its own.
    banner: {
      js: `// The MCP SDK and what it uses, bundled by scripts/bundle-mcp.ts; licences: ./sdk.js.LICENSES.txt\nimport { createRequire as __mcpRequire } from 'node:module'; const require = __mcpRequire(import.meta.url);`,
    },
  });
  await rm(`${out}.map`, { force: true });
  const packages = [
    ...new Set(
      Object.keys(metafile.inputs)
        .map(packageOf)
        .filter((p) => p !== undefined),
    ),
  ].sort();
  const texts = await Promise.all(packages.map(licenceOf));
  await writeFile(
    join(root, sdkLicences),
    `The packages bundled into ${sdkBundle.slice(dirname(sdkBundle).length + 1)}, each with its licence.\n\n${texts.join('\n---\n\n')}`,
  );
}
