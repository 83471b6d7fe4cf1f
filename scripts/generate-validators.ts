// Compiles the contract's schemas to standalone validators (Ajv) and bundles them into one
// dependency-free ES module, so no schema compiler ships at runtime.
import Ajv2020 from 'ajv/dist/2020.js';
import { _ } from 'ajv/dist/compile/codegen/index.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { build } from 'esbuild';
import type { OpenApiDocument } from './bundle-spec.ts';
import formats from './formats.ts';
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

/** Export name of the validator for a component schema, e.g. `validateServiceBinding`. */
export const validatorName = (schemaName: string) => `validate${schemaName}`;

export async function generateValidators(spec: OpenApiDocument): Promise<{ js: string; dts: string }> {
  const ajv = new Ajv2020.default({
    allErrors: true,
    // OpenAPI keywords (example, x-*) are not JSON Schema; Redocly lints the schemas themselves.
    strict: false,
    formats: formats as unknown as Record<string, (value: string) => boolean>,
    code: { source: true, esm: true, lines: true, formats: _`require("./scripts/formats.ts").default` },
  });
  ajv.addSchema({ components: { schemas: validationOnly(spec.components.schemas) } }, 'contract');

  const schemaNames = Object.keys(spec.components.schemas ?? {});
  const exports = Object.fromEntries(
    schemaNames.map((name) => [validatorName(name), `contract#/components/schemas/${name}`]),
  );
  const source = standaloneCode.default(ajv, exports);

  const bundled = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js', sourcefile: 'validators.js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const header = `// ${generatedBy('scripts/generate-validators.ts (Ajv standalone, bundled by esbuild)')}\n`;
  const js = `${header}${bundled.outputFiles[0]?.text ?? ''}`;
  const dts = [
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
    ...schemaNames.map(
      (name) =>
        `/** Validates a value against \`#/components/schemas/${name}\`. */\nexport declare const ${validatorName(name)}: Validator;`,
    ),
    '',
  ].join('\n');
  return { js, dts };
}
