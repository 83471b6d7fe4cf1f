// Compiles the contract's schemas to straight-line check functions: each component once
// (`checkServiceBinding`), a `$ref` a call to its component's. The compiler covers the JSON Schema the
// contract uses and refuses anything else; errors read as Ajv's (same keywords, paths, params, words and
// order).
//
// What a check does on a valid value is only tests: no error list, no path string, no rule object is
// made. Paths are joined where an error is recorded, relative to the function's own value; a caller
// prefixes its callee's errors when it takes them over. Each list stops at MAX_ERRORS (loops stop too).
import type { OpenApiDocument } from '../bundle-spec.ts';
import { fixedAsciiAtoms, fixedAsciiLength, matcherSource, tableChars } from './pattern-prover.ts';

export type Schema = Record<string, unknown>;

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
/** Keywords the compiler checks. */
const KEYWORDS = new Set([
  'type',
  'enum',
  'anyOf',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'items',
  'required',
  'properties',
]);
/** Each format the runtime checks, and the values it applies to (Ajv's `type` of a format). */
const FORMATS: Record<string, 'number' | 'string'> = {
  'date-time': 'string',
  uri: 'string',
  int64: 'number',
};

function unsupported(what: string): never {
  throw new Error(`The validator compiler does not support ${what}`);
}

const constraining = (schema: Schema) =>
  Object.keys(schema).filter((key) => !ANNOTATIONS.has(key) && !key.startsWith('x-'));

/** A path below a check's value: literal text, and expressions (a loop's index) joined only on failure. */
type Path = readonly (string | { expr: string })[];

/** The expression of a path: `"/message_types/" + i1`, `""`. */
function pathCode(path: Path): string {
  const parts: string[] = [];
  let text = '';
  for (const part of path) {
    if (typeof part === 'string') text += part;
    else {
      if (text) parts.push(JSON.stringify(text));
      text = '';
      parts.push(part.expr);
    }
  }
  if (text || !parts.length) parts.push(JSON.stringify(text));
  return parts.join(' + ');
}

/** Where code reads its value, where it records its errors, and that value's path relative to them. */
interface Place {
  value: string;
  errors: string;
  path: Path;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Ajv's test that a value has a JSON type (the same expressions, so the verdicts match; the runtime has the longer ones). */
function typeTest(type: string, x: string): string {
  switch (type) {
    case 'string':
      return `typeof ${x} === "string"`;
    case 'number':
      return `isNumber(${x})`;
    case 'integer':
      return `isInteger(${x})`;
    case 'boolean':
      return `typeof ${x} === "boolean"`;
    case 'null':
      return `${x} === null`;
    case 'array':
      return `Array.isArray(${x})`;
    case 'object':
      return `isObject(${x})`;
    default:
      return unsupported(`the type ${JSON.stringify(type)}`);
  }
}
const anyType = (types: readonly string[], x: string) =>
  types.length === 1 ? typeTest(types[0] as string, x) : types.map((t) => `(${typeTest(t, x)})`).join(' || ');

/** Compiles schemas to check functions: each component once (`checkServiceBinding`), called wherever it is referenced. */
export class Compiler {
  /** Constants and functions, constants before the functions that read them. */
  readonly declarations: string[] = [];
  private readonly functions = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly patterns = new Map<string, string>();
  private readonly tables = new Map<string, string>();
  private count = 0;

  constructor(private readonly spec: OpenApiDocument) {}

  /** A fresh local name. */
  private local(prefix: string): string {
    return `${prefix}${++this.count}`;
  }

  /** The check function of the component a `$ref` names (compiled on first use). */
  checkFor(ref: string): string {
    const known = this.functions.get(ref);
    if (known) return known;
    const name = this.functionName(`check${ref.split('/').pop()?.replace(/\W/g, '_')}`);
    this.functions.set(ref, name);
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, part) => (node as Schema)?.[part], this.spec) as Schema | undefined;
    if (!target) throw new Error(`Unresolved $ref ${ref}`);
    this.declare(name, target);
    return name;
  }

  /** A check function for a schema: a `$ref` is its component's own. */
  checkOf(name: string, schema: Schema): string {
    const ref = this.refOnly(schema);
    if (ref !== undefined) return this.checkFor(ref);
    const unique = this.functionName(name);
    this.declare(unique, schema);
    return unique;
  }

  private functionName(name: string): string {
    if (this.used.has(name)) throw new Error(`Two check functions would be named ${name}`);
    this.used.add(name);
    return name;
  }

  private declare(name: string, schema: Schema) {
    const body = this.code(schema, { value: 'data', errors: 'errors', path: [] });
    this.declarations.push(`function ${name}(data) {`, 'let errors = null;', ...body, 'return errors;', '}');
  }

  /** The `$ref` a schema only is (annotations aside), if it is one. */
  private refOnly(schema: Schema): string | undefined {
    if (typeof schema.$ref !== 'string') return undefined;
    const keys = constraining(schema);
    if (keys.length > 1) unsupported(`$ref beside ${keys.filter((k) => k !== '$ref').join(', ')}`);
    return schema.$ref;
  }

  /** `errors = fail(errors, path, keyword, value);`: the value its params and words are made of. */
  private fail(place: Place, keyword: string, value: string): string {
    return `${place.errors} = fail(${place.errors}, ${pathCode(place.path)}, ${JSON.stringify(keyword)}, ${value});`;
  }

  /**
   * Code that checks a schema on the fresh error list `errors`, its value's paths relative to it
   * (a branch of anyOf, whose errors are kept only if every branch fails).
   */
  private branch(schema: Schema, value: string, errors: string): string[] {
    const ref = this.refOnly(schema);
    if (ref !== undefined) return [`const ${errors} = ${this.checkFor(ref)}(${value});`];
    return [`let ${errors} = null;`, ...this.code(schema, { value, errors, path: [] })];
  }

  /** Code that records each keyword a value fails, in Ajv's order: type, enum, anyOf, then its type's own. */
  code(schema: Schema, place: Place): string[] {
    const ref = this.refOnly(schema);
    if (ref !== undefined) {
      const part = this.local('b');
      return [
        `const ${part} = ${this.checkFor(ref)}(${place.value});`,
        `if (${part} !== null) ${place.errors} = merge(${place.errors}, ${part}, ${pathCode(place.path)});`,
      ];
    }
    for (const key of constraining(schema)) if (!KEYWORDS.has(key)) unsupported(`the keyword "${key}"`);
    const x = place.value;
    const types =
      schema.type === undefined ? undefined : Array.isArray(schema.type) ? schema.type : [schema.type];
    for (const type of types ?? []) typeTest(type, x);
    const typeFail = this.fail(place, 'type', JSON.stringify(schema.type));
    const general = [...this.enumCode(schema, place), ...this.anyOfCode(schema, place)];

    // Each type's own keywords, on values of that type only.
    // `type` is the type that admits every value of the kind (none for numbers: NaN and ±Infinity are
    // not JSON numbers), `covers` the types the kind's values all have or lack alike.
    const kinds = [
      {
        test: `typeof ${x} === "number"`,
        lines: this.numberCode(schema, place),
        type: '',
        covers: ['number', 'integer'],
      },
      {
        test: `typeof ${x} === "string"`,
        lines: this.stringCode(schema, place),
        type: 'string',
        covers: ['string'],
      },
      { test: `Array.isArray(${x})`, lines: this.arrayCode(schema, place), type: 'array', covers: ['array'] },
      {
        test: typeTest('object', x),
        lines: this.objectCode(schema, place),
        type: 'object',
        covers: ['object'],
      },
    ].filter((kind) => kind.lines.length);
    const chain = kinds.flatMap((kind, i) => [`${i ? '} else ' : ''}if (${kind.test}) {`, ...kind.lines]);

    // When the type admits every value those keywords apply to, one test serves both: the type is
    // checked only on the values none of them applies to.
    if (!general.length && kinds.length && kinds.every((kind) => types?.includes(kind.type) ?? true)) {
      if (!types) return [...chain, '}'];
      const rest = types.filter((t) => !kinds.some((kind) => kind.covers.includes(t)));
      return [
        ...chain,
        rest.length ? `} else if (!(${anyType(rest, x)})) ${typeFail}` : `} else ${typeFail}`,
      ];
    }
    return [
      ...(types ? [`if (!(${anyType(types, x)})) ${typeFail}`] : []),
      ...general,
      ...(chain.length ? [...chain, '}'] : []),
    ];
  }

  private enumCode(schema: Schema, place: Place): string[] {
    if (schema.enum === undefined) return [];
    const values = schema.enum;
    if (
      !Array.isArray(values) ||
      !values.length ||
      !values.every(
        (v) =>
          v === null || ['string', 'boolean'].includes(typeof v) || (Number.isFinite(v) && !Object.is(v, -0)),
      )
    )
      unsupported(
        `the enum ${JSON.stringify(values)} (only strings, finite numbers but -0, booleans and null)`,
      );
    const allowed = this.local('ALLOWED');
    this.declarations.push(`const ${allowed} = ${JSON.stringify(values)};`);
    const test = values.map((v) => `${place.value} === ${JSON.stringify(v)}`).join(' || ');
    return [`if (!(${test})) ${this.fail(place, 'enum', allowed)}`];
  }

  /** `anyOf: [X, {type: 'null'}]` checks X on values that are not null; any other anyOf, each branch in turn. */
  private anyOfCode(schema: Schema, place: Place): string[] {
    if (schema.anyOf === undefined) return [];
    const branches = schema.anyOf as Schema[];
    if (!Array.isArray(branches) || !branches.length) unsupported('an empty anyOf');
    const isNull = (b: Schema) => b.type === 'null' && constraining(b).length === 1;
    const path = pathCode(place.path);
    const [first, second] = branches;
    if (branches.length === 2 && first && second && isNull(second) && !isNull(first)) {
      const part = this.local('b');
      return [
        `if (${place.value} !== null) {`,
        ...this.branch(first, place.value, part),
        `if (${part} !== null) ${place.errors} = notNullable(${place.errors}, ${part}, ${path});`,
        '}',
      ];
    }
    // Each branch only once the ones before it failed; all failed: their errors, then anyOf's.
    const parts = branches.map(() => this.local('b'));
    let lines = [`${place.errors} = noneOf(${place.errors}, ${path}, ${parts.join(', ')});`];
    for (let i = branches.length - 1; i >= 0; i--)
      lines = [
        ...this.branch(branches[i] as Schema, place.value, parts[i] as string),
        `if (${parts[i]} !== null) {`,
        ...lines,
        '}',
      ];
    return ['{', ...lines, '}'];
  }

  private numberCode(schema: Schema, place: Place): string[] {
    const { maximum, minimum, format } = schema;
    const x = place.value;
    const lines: string[] = [];
    for (const [key, limit, beyond] of [
      ['maximum', maximum, '>'],
      ['minimum', minimum, '<'],
    ] as const) {
      if (limit === undefined) continue;
      if (typeof limit !== 'number' || !Number.isFinite(limit))
        unsupported(`${key} ${JSON.stringify(limit)}`);
      lines.push(
        `if (${x} ${beyond} ${limit} || Number.isNaN(${x})) ${this.fail(place, key, String(limit))}`,
      );
    }
    if (format === 'int64') lines.push(`if (!int64(${x})) ${this.fail(place, 'format', '"int64"')}`);
    return lines;
  }

  private stringCode(schema: Schema, place: Place): string[] {
    const { maxLength, minLength, pattern, format } = schema;
    const x = place.value;
    const lengths: string[] = [];
    for (const [key, limit, test] of [
      ['maxLength', maxLength, 'tooLong'],
      ['minLength', minLength, 'tooShort'],
    ] as const) {
      if (limit === undefined) continue;
      if (!Number.isSafeInteger(limit) || (limit as number) < 0)
        unsupported(`${key} ${JSON.stringify(limit)}`);
      lengths.push(`if (${test}(${x}, ${limit})) ${this.fail(place, key, String(limit))}`);
    }
    const lines: string[] = [];
    if (pattern === undefined) lines.push(...lengths);
    else {
      if (typeof pattern !== 'string') unsupported(`the pattern ${JSON.stringify(pattern)}`);
      const mismatch = `if (!${this.patternTest(pattern)}(${x}))`;
      const patternFail = this.fail(place, 'pattern', JSON.stringify(pattern));
      // A string the pattern matches has its fixed length: when that length meets the bounds, they
      // can only fail on a string it does not match, and are checked there (in Ajv's order still).
      const fixed = fixedAsciiLength(pattern);
      const within =
        fixed !== undefined &&
        (maxLength === undefined || fixed <= (maxLength as number)) &&
        (minLength === undefined || fixed >= (minLength as number));
      if (within && lengths.length) lines.push(`${mismatch} {`, ...lengths, patternFail, '}');
      else lines.push(...lengths, `${mismatch} ${patternFail}`);
    }
    if (format !== undefined) {
      if (typeof format !== 'string' || !FORMATS[format]) unsupported(`format ${JSON.stringify(format)}`);
      if (FORMATS[format] === 'string') {
        const test = format === 'uri' ? 'uri' : 'dateTime';
        lines.push(`if (!${test}(${x})) ${this.fail(place, 'format', JSON.stringify(format))}`);
      }
    }
    return lines;
  }

  private arrayCode(schema: Schema, place: Place): string[] {
    if (schema.items === undefined) return [];
    if (typeof schema.items !== 'object' || Array.isArray(schema.items))
      unsupported('items other than one schema');
    const i = this.local('i');
    const item = this.local('v');
    return [
      `for (let ${i} = 0; ${i} < ${place.value}.length; ${i}++) {`,
      `if (full(${place.errors})) break;`,
      `const ${item} = ${place.value}[${i}];`,
      ...this.code(schema.items as Schema, {
        ...place,
        value: item,
        path: [...place.path, '/', { expr: i }],
      }),
      '}',
    ];
  }

  private objectCode(schema: Schema, place: Place): string[] {
    const { required, properties } = schema;
    const x = place.value;
    const member = (name: string) =>
      IDENTIFIER.test(name) ? `${x}.${name}` : `${x}[${JSON.stringify(name)}]`;
    const lines: string[] = [];
    if (required !== undefined) {
      if (!Array.isArray(required) || !required.every((name) => typeof name === 'string'))
        unsupported(`required ${JSON.stringify(required)}`);
      // Tested in line; the runtime names the missing ones, in order.
      if (required.length) {
        const names = this.local('REQUIRED');
        this.declarations.push(`const ${names} = ${JSON.stringify(required)};`);
        const missing = required.map((name) => `${member(name)} === undefined`).join(' || ');
        lines.push(
          `if (${missing}) ${place.errors} = required(${place.errors}, ${pathCode(place.path)}, ${x}, ${names});`,
        );
      }
    }
    for (const [name, sub] of Object.entries((properties ?? {}) as Record<string, Schema>)) {
      const value = this.local('v');
      const key = `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      lines.push(
        `const ${value} = ${member(name)};`,
        `if (${value} !== undefined) {`,
        ...this.code(sub, { ...place, value, path: [...place.path, key] }),
        '}',
      );
    }
    return lines;
  }

  /**
   * What tests a pattern, declared once: a char-code matcher when the pattern is a fixed sequence of
   * ASCII characters, else its regular expression (whose `source` must be the pattern, as Ajv names it).
   */
  private patternTest(pattern: string): string {
    const known = this.patterns.get(pattern);
    if (known) return known;
    if (new RegExp(pattern, 'u').source !== pattern)
      unsupported(`the pattern ${pattern} (its source reads otherwise)`);
    const atoms = fixedAsciiAtoms(pattern);
    let test: string;
    if (atoms) {
      test = this.local('matchPattern');
      this.declarations.push(
        `// ${pattern}`,
        matcherSource(test, atoms, (codes) => this.table(codes)),
      );
    } else {
      const name = this.local('PATTERN');
      this.declarations.push(`const ${name} = /* @__PURE__ */ new RegExp(${JSON.stringify(pattern)}, "u");`);
      test = `${name}.test`;
    }
    this.patterns.set(pattern, test);
    return test;
  }

  /** A lookup table of ASCII characters, declared once. */
  private table(codes: readonly number[]): string {
    const chars = tableChars(codes);
    const known = this.tables.get(chars);
    if (known) return known;
    const name = this.local('CHARS');
    this.declarations.push(`const ${name} = /* @__PURE__ */ asciiTable(${chars});`);
    this.tables.set(chars, name);
    return name;
  }
}
