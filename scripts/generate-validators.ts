// Compiles the contract's schemas to standalone validators (Ajv) and bundles them into one
// dependency-free ES module, so no schema compiler ships at runtime.

import { join, relative } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { _ } from 'ajv/dist/compile/codegen/index.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { build } from 'esbuild';
import { formats } from '../src/client/validator-runtime.ts';
import type { OpenApiDocument } from './bundle-spec.ts';
import { generatedBy, root } from './paths.ts';

// Keywords that document a schema without constraining it: left out of the runtime validators.
const ANNOTATIONS = new Set(['description', 'summary', 'title', 'example', 'examples', 'deprecated']);

/** A copy of a schema tree without annotations and `x-` extensions. */
function validationOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(validationOnly);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).filter(([key]) => !ANNOTATIONS.has(key) && !key.startsWith('x-'));
  return Object.fromEntries(
    entries.map(([key, value]) => [key, key === 'properties' ? mapValues(value) : validationOnly(value)]),
  );
}

/** `properties` maps names to schemas: its keys are field names, never keywords, so keep them all. */
function mapValues(node: unknown): unknown {
  return Object.fromEntries(
    Object.entries(node as object).map(([key, value]) => [key, validationOnly(value)]),
  );
}

const RUNTIME = join(root, 'src/client/validator-runtime.ts');

/**
 * Ajv's standalone code `require`s its runtime helpers even in ESM mode, which makes esbuild wrap
 * them in CommonJS shims. Point both at src/client/validator-runtime.ts and import them as ES modules instead.
 */
function asEsModule(code: string): string {
  const esm = code
    .replaceAll(`require(${JSON.stringify(RUNTIME)}).formats`, '__formats')
    .replaceAll('require("ajv/dist/runtime/ucs2length").default', '__ucs2length');
  if (esm.includes('require(')) throw new Error(`Unexpected require() in Ajv's standalone code:\n${esm}`);
  return `import { formats as __formats, ucs2length as __ucs2length } from ${JSON.stringify(RUNTIME)};\n${esm}`;
}

/** Export name of the validator for a component schema, e.g. `validateServiceBinding`. */
export const validatorName = (schemaName: string) => `validate${schemaName}`;

/** Export name of the validator for a parameter component's inline schema, e.g. `validatePageSizeParameter`. */
export const parameterValidatorName = (parameter: string) => `validate${parameter}Parameter`;

/** Every schema that gets a validator: each component schema, and each parameter's inline schema. */
function validatorTargets(spec: OpenApiDocument): { module: string; name: string; pointer: string }[] {
  const schemas = Object.keys(spec.components.schemas ?? {}).map((name) => ({
    module: name,
    name: validatorName(name),
    pointer: `#/components/schemas/${name}`,
  }));
  const parameters = Object.entries(
    (spec.components.parameters ?? {}) as Record<string, { schema: { $ref?: string } }>,
  )
    .filter(([, p]) => p.schema.$ref === undefined)
    .map(([name]) => ({
      module: `${name}Parameter`,
      name: parameterValidatorName(name),
      pointer: `#/components/parameters/${name}/schema`,
    }));
  return [...schemas, ...parameters];
}

/**
 * One module per component schema (validators/<Name>.js, helpers shared through esbuild's split
 * chunks) so a bundler takes only the validators a consumer uses; validators.js re-exports them all.
 */
export async function generateValidators(spec: OpenApiDocument): Promise<Record<string, string>> {
  const ajv = new Ajv2020.default({
    allErrors: true,
    // OpenAPI keywords (example, x-*) are not JSON Schema; Redocly lints the schemas themselves.
    strict: false,
    formats: formats as unknown as Record<string, (value: string) => boolean>,
    code: {
      source: true,
      esm: true,
      lines: true,
      formats: _`require(${RUNTIME}).formats`,
    },
  });
  const components = { schemas: spec.components.schemas, parameters: spec.components.parameters ?? {} };
  ajv.addSchema({ components: validationOnly(components) }, 'contract');
  const targets = validatorTargets(spec);

  // Each schema's standalone code is an in-memory entry point: no scratch files, stable output.
  const sources = new Map(
    targets.map(({ module, name, pointer }) => [
      module,
      asEsModule(standaloneCode.default(ajv, { [name]: `contract${pointer}` })),
    ]),
  );
  const bundled = await build({
    entryPoints: targets.map(({ module }) => ({ in: `ajv-standalone:${module}`, out: module })),
    outdir: 'validators',
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    chunkNames: 'shared-[hash]',
    format: 'esm',
    platform: 'neutral',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [
      {
        name: 'ajv-standalone',
        setup(b) {
          b.onResolve({ filter: /^ajv-standalone:/ }, (args) => ({
            path: args.path.slice(15),
            namespace: 'ajv-standalone',
          }));
          b.onLoad({ filter: /.*/, namespace: 'ajv-standalone' }, (args) => ({
            contents: sources.get(args.path) ?? '',
            resolveDir: root,
            loader: 'js',
          }));
        },
      },
    ],
  });
  const header = `// ${generatedBy('scripts/generate-validators.ts (Ajv standalone, bundled by esbuild)')}\n`;
  const files: Record<string, string> = {};
  for (const out of bundled.outputFiles) files[relative(root, out.path)] = `${header}${out.text}`;
  files['validators.js'] = [
    header,
    ...targets.map(({ module, name }) => `export { ${name} } from './validators/${module}.js';`),
    '',
  ].join('\n');
  files['validators.d.ts'] = validatorTypes(header, targets);
  return files;
}

function validatorTypes(header: string, targets: { name: string; pointer: string }[]): string {
  return [
    header,
    '/** One Ajv validation error, as the standalone validators report it. */',
    'export interface ValidationError {',
    '  instancePath: string;',
    '  schemaPath: string;',
    '  keyword: string;',
    '  params: Record<string, unknown>;',
    '  message?: string;',
    '}',
    '/** A validator compiled from one component schema; errors are set after a failed call. */',
    'export interface Validator {',
    '  (data: unknown): boolean;',
    '  errors?: ValidationError[] | null;',
    '}',
    ...targets.map(
      ({ name, pointer }) =>
        `/** Validates a value against \`${pointer}\`. */\nexport declare const ${name}: Validator;`,
    ),
    '',
  ].join('\n');
}
