// Compiles the contract's schemas to straight-line check functions: each component once
// (`checkServiceBinding`), a `$ref` a call to its component's, any other schema in line where it is
// used. Each keyword compiles to the test JSON Schema 2020-12 defines for it, on what
// accepted-schema.ts accepts; errors read as Ajv's (same keywords, paths, params, words and order).
//
// What a check does on a valid value is only tests: no error list, no path string, no rule object is
// made. Paths are joined where an error is recorded, relative to the function's own value; a caller
// prefixes its callee's errors when it takes them over. Each list keeps MAX_ERRORS errors and counts the
// locations of the rest: a check reads the whole value, so the verdict and the count are whole.
import type { OpenApiDocument } from '../bundle-spec.ts';
import { acceptedSchema, constraining, FORMATS, refOf, type Schema } from './accepted-schema.ts';
import { classRun, fixedAsciiAtoms, fixedAsciiLength, matcherSource } from './pattern-prover.ts';

/** A path below a check's value: literal text, and expressions (a loop's index) joined only on failure. */
type Path = readonly (string | { expr: string })[];

/** A name as one token of a JSON pointer (`a/b` is `a~1b`): in an instance path and a schema location alike. */
const pointerToken = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');

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

/** Where code reads its value and records its errors, that value's path relative to them, and where its schema is. */
interface Place {
  value: string;
  errors: string;
  path: Path;
  /** The schema's location in the contract (`#/components/schemas/Thing/properties/id`), for refusals. */
  at: string;
}

/** The node a `#/…` JSON pointer names in the contract, reading own members only. */
function resolve(spec: OpenApiDocument, ref: string): unknown {
  let node: unknown = spec;
  for (const part of ref.slice(2).split('/')) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key))
      throw new Error(`Unresolved $ref ${ref}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/**
 * The test that a value has a JSON type: Ajv's, with its strictNumbers (NaN and ±Infinity, which JSON.parse
 * makes of a number past a double's range, are not numbers), so the verdicts match.
 */
function typeTest(type: string, x: string): string {
  switch (type) {
    case 'string':
      return `typeof ${x} === "string"`;
    case 'number':
      return `Number.isFinite(${x})`;
    case 'integer':
      return `Number.isInteger(${x})`;
    case 'boolean':
      return `typeof ${x} === "boolean"`;
    case 'null':
      return `${x} === null`;
    case 'array':
      return `Array.isArray(${x})`;
    case 'object':
      return `isObject(${x})`;
    default:
      throw new Error(`No JSON type is named ${JSON.stringify(type)}`);
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
    this.declare(name, resolve(this.spec, ref), ref);
    return name;
  }

  /** A check function for the schema at `at`: a `$ref` is its component's own. */
  checkOf(name: string, node: unknown, at: string): string {
    const ref = refOf(acceptedSchema(node, at));
    if (ref !== undefined) return this.checkFor(ref);
    const unique = this.functionName(name);
    this.declare(unique, node, at);
    return unique;
  }

  private functionName(name: string): string {
    if (this.used.has(name)) throw new Error(`Two check functions would be named ${name}`);
    this.used.add(name);
    return name;
  }

  private declare(name: string, node: unknown, at: string) {
    const body = this.code(node, { value: 'data', errors: 'errors', path: [], at });
    this.declarations.push(`function ${name}(data) {`, 'let errors = null;', ...body, 'return errors;', '}');
  }

  /** `errors = fail(errors, path, keyword, value);`: the value its params and words are made of. */
  private fail(place: Place, keyword: string, value: string): string {
    return `${place.errors} = fail(${place.errors}, ${pathCode(place.path)}, ${JSON.stringify(keyword)}, ${value});`;
  }

  /**
   * Code that checks a schema on the fresh error list `errors`, its value's paths relative to it
   * (a branch of anyOf, whose errors are kept only if every branch fails).
   */
  private branch(node: unknown, value: string, errors: string, at: string): string[] {
    const ref = refOf(acceptedSchema(node, at));
    if (ref !== undefined) return [`const ${errors} = ${this.checkFor(ref)}(${value});`];
    return [`let ${errors} = null;`, ...this.code(node, { value, errors, path: [], at })];
  }

  /** Code that records each keyword a value fails, in Ajv's order: type, enum, anyOf, then its type's own. */
  code(node: unknown, place: Place): string[] {
    const schema = acceptedSchema(node, place.at);
    const ref = refOf(schema);
    if (ref !== undefined) {
      const part = this.local('b');
      return [
        `const ${part} = ${this.checkFor(ref)}(${place.value});`,
        `if (${part} !== null) ${place.errors} = merge(${place.errors}, ${part}, ${pathCode(place.path)});`,
      ];
    }
    return this.typedCode(schema, [...this.enumCode(schema, place), ...this.anyOfCode(schema, place)], place);
  }

  /** The type test, the keywords of every type (`general`), then each type's own keywords on values of that type only. */
  private typedCode(schema: Schema, general: string[], place: Place): string[] {
    const x = place.value;
    const types = schema.type === undefined ? undefined : ([] as string[]).concat(schema.type as string);
    const typeFail = this.fail(place, 'type', JSON.stringify(schema.type));
    // `type` is the type that admits every value of the kind, `covers` the types the kind's values all
    // have or lack alike.
    const kinds = [
      {
        test: typeTest('number', x),
        lines: this.numberCode(schema, place),
        type: 'number',
        covers: ['number', 'integer'],
      },
      {
        test: typeTest('string', x),
        lines: this.stringCode(schema, place),
        type: 'string',
        covers: ['string'],
      },
      { test: typeTest('array', x), lines: this.arrayCode(schema, place), type: 'array', covers: ['array'] },
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
    const values = schema.enum as unknown[];
    const allowed = this.local('ALLOWED');
    this.declarations.push(`const ${allowed} = ${JSON.stringify(values)};`);
    const test = values.map((v) => `${place.value} === ${JSON.stringify(v)}`).join(' || ');
    return [`if (!(${test})) ${this.fail(place, 'enum', allowed)}`];
  }

  /** `anyOf: [X, {type: 'null'}]` checks X on values that are not null; any other anyOf, each branch in turn. */
  private anyOfCode(schema: Schema, place: Place): string[] {
    if (schema.anyOf === undefined) return [];
    const ats = (schema.anyOf as unknown[]).map((_, i) => `${place.at}/anyOf/${i}`);
    const branches = (schema.anyOf as unknown[]).map((node, i) => acceptedSchema(node, ats[i] as string));
    const isNull = (b: Schema) => b.type === 'null' && constraining(b).length === 1;
    const path = pathCode(place.path);
    const [first, second] = branches;
    if (branches.length === 2 && first && second && isNull(second) && !isNull(first)) {
      const part = this.local('b');
      return [
        `if (${place.value} !== null) {`,
        ...this.branch(first, place.value, part, ats[0] as string),
        `if (${part} !== null) ${place.errors} = notNullable(${place.errors}, ${part}, ${path});`,
        '}',
      ];
    }
    // Each branch only once the ones before it failed; all failed: their errors, then anyOf's.
    const parts = branches.map(() => this.local('b'));
    let lines = [`${place.errors} = noneOf(${place.errors}, ${path}, ${parts.join(', ')});`];
    for (let i = branches.length - 1; i >= 0; i--)
      lines = [
        ...this.branch(branches[i], place.value, parts[i] as string, ats[i] as string),
        `if (${parts[i]} !== null) {`,
        ...lines,
        '}',
      ];
    return ['{', ...lines, '}'];
  }

  /** On finite numbers (the only numbers: typeTest). */
  private numberCode(schema: Schema, place: Place): string[] {
    const x = place.value;
    const lines: string[] = [];
    for (const [key, beyond] of [
      ['maximum', '>'],
      ['minimum', '<'],
    ] as const) {
      const limit = schema[key];
      if (limit !== undefined)
        lines.push(`if (${x} ${beyond} ${limit}) ${this.fail(place, key, String(limit))}`);
    }
    return [...lines, ...this.formatCode(schema, place, 'number')];
  }

  private stringCode(schema: Schema, place: Place): string[] {
    const { maxLength, minLength, pattern } = schema;
    const x = place.value;
    const lengths: string[] = [];
    for (const [key, limit, test] of [
      ['maxLength', maxLength, 'tooLong'],
      ['minLength', minLength, 'tooShort'],
    ] as const) {
      if (limit !== undefined)
        lengths.push(`if (${test}(${x}, ${limit})) ${this.fail(place, key, String(limit))}`);
    }
    const lines: string[] = [];
    if (typeof pattern !== 'string') lines.push(...lengths);
    else {
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
    return [...lines, ...this.formatCode(schema, place, 'string')];
  }

  /** A format's test, on the values it applies to (a format of the other kind is no constraint here). */
  private formatCode(schema: Schema, place: Place, kind: 'number' | 'string'): string[] {
    const format = FORMATS.get(schema.format as string);
    if (format?.applies !== kind) return [];
    return [
      `if (!${format.test}(${place.value})) ${this.fail(place, 'format', JSON.stringify(schema.format))}`,
    ];
  }

  private arrayCode(schema: Schema, place: Place): string[] {
    if (schema.items === undefined) return [];
    const i = this.local('i');
    const item = this.local('v');
    return [
      `for (let ${i} = 0; ${i} < ${place.value}.length; ${i}++) {`,
      `const ${item} = ${place.value}[${i}];`,
      ...this.code(schema.items, {
        ...place,
        value: item,
        path: [...place.path, '/', { expr: i }],
        at: `${place.at}/items`,
      }),
      '}',
    ];
  }

  /**
   * `required` and `properties`, on the object's own members only (a JSON object has no others): each
   * property read once, as undefined where the object lacks it, before either keyword is checked.
   */
  private objectCode(schema: Schema, place: Place): string[] {
    const required = (schema.required ?? []) as string[];
    const properties = Object.entries((schema.properties ?? {}) as Record<string, unknown>);
    if (!required.length && !properties.length) return [];
    const x = place.value;
    const prototype = this.local('p');
    // A name the prototype chain has (`toString`, `__proto__`, or one a polluted Object.prototype
    // lends) is read only if the object has it of its own; any other, as a plain member.
    const read = (name: string) => {
      const key = JSON.stringify(name);
      const member = IDENTIFIER.test(name) ? `${x}.${name}` : `${x}[${key}]`;
      return `${key} in ${prototype} ? ownValue(${x}, ${key}) : ${member}`;
    };
    const values = new Map(properties.map(([name]) => [name, this.local('v')]));
    const lines = [
      `const ${prototype} = prototypeOf(${x});`,
      ...[...values].map(([name, value]) => `const ${value} = ${read(name)};`),
    ];
    if (required.length) {
      // Tested in line; the runtime names the missing ones, in order.
      const names = this.local('REQUIRED');
      this.declarations.push(`const ${names} = ${JSON.stringify(required)};`);
      const missing = required.map((name) => `${values.get(name) ?? `(${read(name)})`} === undefined`);
      lines.push(
        `if (${missing.join(' || ')}) ${place.errors} = required(${place.errors}, ${pathCode(place.path)}, ${x}, ${names});`,
      );
    }
    for (const [name, sub] of properties) {
      const value = values.get(name) as string;
      const token = pointerToken(name);
      lines.push(
        `if (${value} !== undefined) {`,
        ...this.code(sub, {
          ...place,
          value,
          path: [...place.path, `/${token}`],
          at: `${place.at}/properties/${token}`,
        }),
        '}',
      );
    }
    return lines;
  }

  /**
   * What tests a pattern, declared once: a char-code matcher when the pattern is a fixed sequence of
   * ASCII characters, else its regular expression (with the `u` flag, as Ajv compiles it).
   */
  private patternTest(pattern: string): string {
    const known = this.patterns.get(pattern);
    if (known) return known;
    const atoms = fixedAsciiAtoms(pattern);
    let test: string;
    if (atoms) {
      test = this.local('matchPattern');
      this.declarations.push(
        `// ${pattern}`,
        matcherSource(test, atoms, (codes) => classRun(codes, (chars) => this.table(chars))),
      );
    } else {
      const name = this.local('PATTERN');
      this.declarations.push(`const ${name} = /* @__PURE__ */ new RegExp(${JSON.stringify(pattern)}, "u");`);
      test = `${name}.test`;
    }
    this.patterns.set(pattern, test);
    return test;
  }

  /** A lookup table of ASCII characters (`chars`, a string literal), declared once. */
  private table(chars: string): string {
    const known = this.tables.get(chars);
    if (known) return known;
    const name = this.local('CHARS');
    this.declarations.push(`const ${name} = /* @__PURE__ */ asciiTable(${chars});`);
    this.tables.set(chars, name);
    return name;
  }
}
