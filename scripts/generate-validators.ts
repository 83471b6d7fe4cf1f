// npm run generate's validators: compiles each of the contract's component schemas and inline parameter
// schemas (scripts/validators/compiler.ts) and bundles the check functions with the helpers they call
// (src/client/validator-runtime.ts) into one dependency-free ES module, generated/validators.js, typed by
// generated/validators.d.ts. test/generation/validators.test.ts proves the validators give Ajv's verdicts
// and errors on generated data for the contract, and test/generation/compiler.test.ts for every form the
// compiler accepts.
import { join } from 'node:path';
import { build } from 'esbuild';
import { MAX_ERRORS } from '../src/client/validator-runtime.ts';
import type { OpenApiDocument } from './bundle-spec.ts';
import { generatedBy, root } from './paths.ts';
import type { Schema } from './validators/accepted-schema.ts';
import { Compiler } from './validators/compiler.ts';

const RUNTIME = join(root, 'src/client/validator-runtime.ts');

/** Export name of the validator for a component schema, e.g. `validateServiceBinding`. */
export const validatorName = (schemaName: string) => `validate${schemaName}`;

/** Export name of the validator for a parameter component's inline schema, e.g. `validatePageSizeParameter`. */
export const parameterValidatorName = (parameter: string) => `validate${parameter}Parameter`;

/** Every schema that gets an exported validator: each component schema, and each parameter's inline schema. */
function validatorTargets(spec: OpenApiDocument): { name: string; pointer: string; schema: Schema }[] {
  const schemas = Object.keys(spec.components.schemas ?? {}).map((name) => ({
    name: validatorName(name),
    pointer: `#/components/schemas/${name}`,
    schema: { $ref: `#/components/schemas/${name}` } as Schema,
  }));
  const parameters = Object.entries((spec.components.parameters ?? {}) as Record<string, { schema: Schema }>)
    .filter(([, p]) => p.schema.$ref === undefined)
    .map(([name, p]) => ({
      name: parameterValidatorName(name),
      pointer: `#/components/parameters/${name}/schema`,
      schema: p.schema,
    }));
  return [...schemas, ...parameters];
}

/** Every property name the contract's schemas declare, at any depth, sorted: the contract's own words. */
export function fieldNamesOf(spec: OpenApiDocument): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const properties = (node as Schema).properties;
    if (typeof properties === 'object' && properties !== null)
      for (const name of Object.keys(properties)) names.add(name);
    for (const child of Object.values(node)) visit(child);
  };
  visit(spec.components.schemas ?? {});
  return [...names].sort();
}

/** generated/validators.js (check functions and their helpers, one module) and generated/validators.d.ts. */
export async function generateValidators(spec: OpenApiDocument): Promise<Record<string, string>> {
  const compiler = new Compiler(spec);
  const targets = validatorTargets(spec);
  const exports = targets.map(
    ({ name, schema, pointer }) =>
      `export const ${name} = /* @__PURE__ */ validator(${compiler.checkOf(name.replace(/^validate/, 'check'), schema, pointer)});`,
  );
  const helpers = [
    'validator, fail, required, merge, notNullable, noneOf, isObject, prototypeOf, ownValue',
    'tooLong, tooShort, dateTime, uri, int64, asciiTable, runEnd',
  ].join(', ');
  const source = [
    `import { ${helpers} } from ${JSON.stringify(RUNTIME)};`,
    ...compiler.declarations,
    ...exports,
    `export const fieldNames = /* @__PURE__ */ Object.freeze(${JSON.stringify(fieldNamesOf(spec))});`,
  ].join('\n');
  const bundled = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: 'validators.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const header = `// ${generatedBy('scripts/generate-validators.ts (bundled by esbuild)')}\n`;
  return {
    'validators.js': `${header}${bundled.outputFiles[0]?.text ?? ''}`,
    'validators.d.ts': validatorTypes(header, targets),
  };
}

function validatorTypes(header: string, targets: { name: string; pointer: string }[]): string {
  return [
    header,
    "export type { ValidationError } from '../src/client/validator-runtime.js';",
    "import type { ValidationError } from '../src/client/validator-runtime.js';",
    '/**',
    ` * A validator compiled from one schema; \`errors\` is set after each call: null when valid, else the`,
    ` * first errors in Ajv's order, at most ${MAX_ERRORS} (MAX_ERRORS in src/client/validator-runtime.ts).`,
    ' */',
    'export interface Validator {',
    '  (data: unknown): boolean;',
    '  errors?: ValidationError[] | null;',
    `  /** How many more locations failed than \`errors\` names (0 unless it holds ${MAX_ERRORS}): the value is read whole. */`,
    '  omitted?: number;',
    '}',
    ...targets.map(
      ({ name, pointer }) =>
        `/** Validates a value against \`${pointer}\`. */\nexport declare const ${name}: Validator;`,
    ),
    "/** Every property name the contract's schemas declare: the contract's own words, which no redaction masks. */",
    'export declare const fieldNames: readonly string[];',
    '',
  ].join('\n');
}
