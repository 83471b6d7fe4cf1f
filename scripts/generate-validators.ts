// Compiles the contract's schemas to rules (plain data, `$ref`s resolved to shared objects) and bundles
// them with the runtime that checks them (src/client/validator-runtime.ts) into one dependency-free ES
// module, generated/validators.js. The compiler covers the JSON Schema the contract uses and refuses
// anything else; errors read as Ajv's (same keywords, paths, params and words), which
// test/generation/validators.test.ts proves on generated data.
import { join } from 'node:path';
import { build } from 'esbuild';
import type { OpenApiDocument } from './bundle-spec.ts';
import { generatedBy, root } from './paths.ts';

type Schema = Record<string, unknown>;

/** Keywords that document a schema without constraining it. */
const ANNOTATIONS = new Set([
  'description',
  'summary',
  'title',
  'example',
  'examples',
  'deprecated',
  'default',
]);
/** Keywords kept as they are in a rule. */
const PLAIN = ['type', 'enum', 'maximum', 'minimum', 'maxLength', 'minLength', 'format', 'required'];
const FORMATS = new Set(['date-time', 'uri', 'int64']);
const RUNTIME = join(root, 'src/client/validator-runtime.ts');

/** Export name of the validator for a component schema, e.g. `validateServiceBinding`. */
export const validatorName = (schemaName: string) => `validate${schemaName}`;

/** Export name of the validator for a parameter component's inline schema, e.g. `validatePageSizeParameter`. */
export const parameterValidatorName = (parameter: string) => `validate${parameter}Parameter`;

function unsupported(what: string): never {
  throw new Error(`The validator compiler does not support ${what}`);
}

/** Turns schemas into rule constants: each component once (`rServiceBinding`), shared wherever it is referenced. */
class Compiler {
  /** Each declared constant's code, in an order where every one comes after those it uses. */
  readonly declarations: string[] = [];
  private readonly named = new Map<string, string>();

  constructor(private readonly spec: OpenApiDocument) {}

  /** The constant holding the rule of the component a `$ref` names. */
  ruleFor(ref: string): string {
    const name = `r${ref.split('/').pop()?.replace(/\W/g, '_')}`;
    if (!this.named.has(name)) {
      this.named.set(name, name);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, part) => (node as Schema)?.[part], this.spec) as Schema | undefined;
      if (!target) throw new Error(`Unresolved $ref ${ref}`);
      this.declarations.push(`const ${name} = ${this.rule(target)};`);
    }
    return name;
  }

  /** A rule's code: an object literal of its keywords, sub-schemas compiled the same way. */
  rule(schema: Schema): string {
    const keys = Object.keys(schema).filter((key) => !ANNOTATIONS.has(key) && !key.startsWith('x-'));
    if (typeof schema.$ref === 'string') {
      if (keys.length > 1) unsupported(`$ref beside ${keys.filter((k) => k !== '$ref').join(', ')}`);
      return this.ruleFor(schema.$ref);
    }
    const parts: string[] = [];
    for (const key of keys) {
      const value = schema[key];
      if (PLAIN.includes(key)) {
        if (key === 'format' && !FORMATS.has(value as string)) unsupported(`format ${value}`);
        parts.push(`${key}: ${JSON.stringify(value)}`);
      } else if (key === 'pattern') parts.push(`pattern: ${regex(value as string)}`);
      else if (key === 'items') parts.push(`items: ${this.rule(value as Schema)}`);
      else if (key === 'properties')
        parts.push(`properties: [${this.properties(value as Record<string, Schema>)}]`);
      else if (key === 'anyOf') parts.push(this.anyOf(value as Schema[]));
      else unsupported(`the keyword "${key}"`);
    }
    return `{ ${parts.join(', ')} }`;
  }

  private properties(properties: Record<string, Schema>): string {
    return Object.entries(properties)
      .map(([name, sub]) => {
        const key = `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        return `[${JSON.stringify(name)}, ${JSON.stringify(key)}, ${this.rule(sub)}]`;
      })
      .join(', ');
  }

  /** `anyOf: [X, {type: 'null'}]` is a nullable X (the runtime checks it without a second pass). */
  private anyOf(branches: Schema[]): string {
    const isNull = (b: Schema) =>
      b.type === 'null' && Object.keys(b).filter((k) => !ANNOTATIONS.has(k)).length === 1;
    const other = branches.filter((b) => !isNull(b));
    if (branches.length === 2 && other.length === 1 && other[0]) return `nullable: ${this.rule(other[0])}`;
    return `anyOf: [${branches.map((b) => this.rule(b)).join(', ')}]`;
  }
}

/** A pattern as a regular expression whose `source` is the pattern itself (what the error names). */
function regex(pattern: string): string {
  if (new RegExp(pattern, 'u').source !== pattern)
    unsupported(`the pattern ${pattern} (its source reads otherwise)`);
  return `/* @__PURE__ */ new RegExp(${JSON.stringify(pattern)}, "u")`;
}

/** Every schema that gets an exported validator: each component schema, and each parameter's inline schema. */
function validatorTargets(spec: OpenApiDocument): { name: string; pointer: string; schema: Schema }[] {
  const schemas = Object.keys(spec.components.schemas ?? {}).map((name) => ({
    name: validatorName(name),
    pointer: `#/components/schemas/${name}`,
    schema: { $ref: `#/components/schemas/${name}` },
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

/** generated/validators.js (rules and runtime, one module) and generated/validators.d.ts. */
export async function generateValidators(spec: OpenApiDocument): Promise<Record<string, string>> {
  const compiler = new Compiler(spec);
  const targets = validatorTargets(spec);
  const exports = targets.map(
    ({ name, schema }) => `export const ${name} = /* @__PURE__ */ validator(${compiler.rule(schema)});`,
  );
  const source = [
    `import { validator } from ${JSON.stringify(RUNTIME)};`,
    ...compiler.declarations,
    ...exports,
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
    '/** A validator compiled from one schema; `errors` is set after each call (null when valid). */',
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
