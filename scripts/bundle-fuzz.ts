// The command line's fuzzing, bundled into dist by `npm run build`: src/cli/fuzz-engine.ts with fast-check
// and the contract's arbitraries inlined (so `verify --fuzz` needs nothing installed beside the package),
// every other module of the package left as an import of its own file in dist; the licences beside it.
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { licenceOf } from './bundle-mcp.ts';
import { root } from './paths.ts';

/** The file tsc made of src/cli/fuzz-engine.ts (imports of fast-check, a peer a consumer may not have), replaced. */
export const fuzzBundle = 'dist/src/cli/fuzz-engine.js';
export const fuzzLicences = 'dist/src/cli/fuzz-engine.js.LICENSES.txt';

/** What the bundle carries of the package's own modules: the arbitraries, bound to the bundled fast-check. */
const inlined = new Set([join(root, 'src/cli/fuzz-engine.ts'), join(root, 'src/testing/arbitraries.ts')]);

/** Every other module of the package (the generated contract…) stays its own file: dist mirrors the tree. */
const ownModulesApart: Plugin = {
  name: 'own-modules-apart',
  setup(on) {
    on.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir, importer }) => {
      const target = resolve(resolveDir, path);
      if (importer.includes('/node_modules/') || inlined.has(target.replace(/\.js$/, '.ts')))
        return undefined;
      const from = dirname(join(root, 'src/cli/fuzz-engine.ts'));
      return { path: relative(from, target), external: true };
    });
  },
};

const packageOf = (input: string) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

export async function bundleFuzz(): Promise<void> {
  const out = join(root, fuzzBundle);
  const { metafile } = await build({
    entryPoints: [join(root, 'src/cli/fuzz-engine.ts')],
    outfile: out,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [ownModulesApart],
    banner: {
      js: '// fast-check and the arbitraries, bundled by scripts/bundle-fuzz.ts; licences: ./fuzz-engine.js.LICENSES.txt',
    },
  });
  await rm(`${out}.map`, { force: true });
  const packages = [
    ...new Set(
      Object.keys(metafile.inputs)
        .map(packageOf)
        .filter((p) => p !== undefined),
    ),
  ];
  const texts = await Promise.all(packages.sort().map(licenceOf));
  await writeFile(
    join(root, fuzzLicences),
    `The packages bundled into ${fuzzBundle.slice(dirname(fuzzBundle).length + 1)}, each with its licence.\n\n${texts.join('\n---\n\n')}`,
  );
}
