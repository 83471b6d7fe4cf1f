// The validator compiler beyond today's contract: every form it accepts, compiled from a synthetic
// contract, agrees with Ajv (verdict, errors, order) on generated values; what it refuses, it refuses
// at generation, naming where; objects are read for their own members only; what it proves about
// patterns (a fixed length of ASCII characters) holds on every match; and the error cap keeps the
// first MAX_ERRORS of Ajv's errors and counts the locations of the rest, reading the whole value.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { validateListServiceBindingResponse, validateServiceBinding } from '../../generated/validators.js';
import type { OpenApiDocument } from '../../scripts/bundle-spec.ts';
import { generateValidators } from '../../scripts/generate-validators.ts';
import {
  fixedAsciiAtoms,
  fixedAsciiLength,
  fixedPatternMatcher,
} from '../../scripts/validators/pattern-prover.ts';
import { dateTime, int64, MAX_ERRORS, uri } from '../../src/client/validator-runtime.ts';
import { bindingExample, example } from '../support/contract.ts';

type Schema = Record<string, unknown>;
type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null; omitted?: number };

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** A contract with every form the compiler accepts, and the corners of each. */
const schemas: Record<string, Schema> = {
  Sid: { type: 'string', minLength: 34, maxLength: 34, pattern: '^XY[0-9a-f]{32}$' },
  // Fixed lengths outside the bounds, one bound only, a pattern that is not fixed, code points.
  TooLongForIt: { type: 'string', maxLength: 3, pattern: '^[a-z]{5}$' },
  Code: { type: 'string', minLength: 2, pattern: '^[A-Z]{2}-\\d{3}$' },
  Slug: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
  Short: { type: 'string', minLength: 1, maxLength: 2 },
  Kind: { type: 'string', enum: ['a', 'b'] },
  Mixed: { enum: [1, 'one', true, null] },
  Amount: { type: 'number', minimum: -1.5, maximum: 10 },
  Whole: { type: 'integer' },
  Bounded: { minimum: 0, maximum: 10 },
  // `.` is one code point with the `u` flag, which 2020-12 asks for.
  OneCodePoint: { type: 'string', pattern: '^.$' },
  // Names Object.prototype has (Ajv with ownProperties reads these as own members too).
  Inherited: {
    type: 'object',
    required: ['constructor', 'toString'],
    properties: {
      constructor: { type: 'string' },
      toString: { type: 'string' },
      hasOwnProperty: { type: 'integer' },
      valueOf: { type: 'boolean' },
    },
  },
  Count: { type: 'integer', format: 'int64', minimum: 0 },
  When: { type: ['string', 'null'], format: 'date-time' },
  Link: { type: 'string', format: 'uri' },
  Either: {
    anyOf: [ref('Sid'), { type: 'integer', minimum: 5 }, { type: 'array', items: { type: 'boolean' } }],
  },
  // A branch that fails with more errors than the cap, then one that passes.
  Lists: {
    anyOf: [
      { type: 'array', items: { type: 'string' } },
      { type: 'array', items: { type: 'integer' } },
    ],
  },
  NullFirst: { anyOf: [{ type: 'null' }, ref('Kind')] },
  InlineNullable: { anyOf: [{ type: 'string', maxLength: 2 }, { type: 'null' }] },
  Untyped: { minimum: 3, maxLength: 2, items: { type: 'string' }, required: ['k'] },
  Thing: {
    type: 'object',
    required: ['id', 'a/b', 'tags'],
    properties: {
      id: ref('Sid'),
      'a/b': { type: 'integer' },
      'c~d': { type: 'string' },
      'not an identifier': { type: ['integer', 'string'], minimum: 2, maxLength: 1 },
      tags: { type: 'array', items: ref('Kind') },
      nested: {
        type: 'object',
        required: ['x'],
        properties: {
          x: { anyOf: [ref('Link'), { type: 'null' }] },
          deep: { type: 'array', items: { type: 'array', items: ref('Amount') } },
        },
      },
      maybe: { anyOf: [ref('Thing'), { type: 'null' }] },
      when: ref('When'),
      count: ref('Count'),
      mixed: ref('Mixed'),
      either: ref('Either'),
    },
  },
  Page: {
    type: 'object',
    required: ['things'],
    properties: { things: { type: 'array', items: ref('Thing') } },
  },
};
const synthetic = { openapi: '3.1.0', paths: {}, components: { schemas } } as unknown as OpenApiDocument;

// Ajv as exact as it goes: an object's own members only (JSON has no others), and NaN and ±Infinity (what
// JSON.parse makes of a number past a double's range) no numbers, which `strict: false` would turn off.
const ajv = new Ajv2020.default({
  allErrors: true,
  strict: false,
  strictNumbers: true,
  ownProperties: true,
  formats: { 'date-time': dateTime, uri, int64: { type: 'number', validate: int64 } },
});
ajv.addSchema(synthetic, 'synthetic');

const scratch = await mkdtemp(join(tmpdir(), 'validator-compiler-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
let modules = 0;
/** The validators generated for a contract of these component schemas, imported from a module of their own. */
async function compile(contract: OpenApiDocument): Promise<Record<string, Validator>> {
  const file = join(scratch, `validators-${++modules}.js`);
  await writeFile(file, (await generateValidators(contract))['validators.js'] as string);
  return (await import(file)) as Record<string, Validator>;
}
const contractOf = (components: Record<string, unknown>) =>
  ({ openapi: '3.1.0', paths: {}, components: { schemas: components } }) as unknown as OpenApiDocument;
const compiled = await generateValidators(synthetic);
const generated = await compile(synthetic);

/** Ajv's errors in this package's shape. */
const shaped = (errors: unknown[] | null | undefined) =>
  (errors ?? []).map((error) => {
    const { instancePath, keyword, params, message } = error as Record<string, unknown>;
    return { instancePath, keyword, params, message };
  });

const tricky = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1,
    1.5,
    2,
    5,
    11,
    -2,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    '',
    'a',
    'b',
    'one',
  ),
  fc.constantFrom(
    [],
    {},
    [true],
    ['a', 1],
    { k: 1 },
    'AB-123',
    'ab',
    'abcdef',
    '😀',
    'a😀',
    '😀😀😀',
    '\ud83d',
  ),
  // Members Object.prototype has, as JSON.parse makes them: own ones.
  fc.constantFrom(
    JSON.parse('{"constructor": "c", "toString": "t"}'),
    JSON.parse('{"constructor": 1, "hasOwnProperty": "h", "valueOf": true}'),
    JSON.parse('{"toString": "t", "valueOf": 0}'),
    Object.create(null),
  ),
  // Near the fixed-length pattern: one short, one long, a non-hex, 34 code units that are 33 code points.
  fc.constantFrom(
    `XY${'a'.repeat(32)}`,
    `XY${'a'.repeat(31)}`,
    `XY${'a'.repeat(33)}`,
    `XY${'a'.repeat(31)}g`,
    `XY${'a'.repeat(30)}😀`,
    `XY${'a'.repeat(31)}😀`,
    `xy${'a'.repeat(32)}`,
  ),
  fc.constantFrom(
    '2016-10-21T11:37:03Z',
    '2016-02-30T00:00:00Z',
    'https://example.com/a%20b',
    'https://x/%zz',
  ),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Values shaped by a schema, mostly valid, with a tricky value anywhere now and then. */
function valuesOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') {
    if (depth > 3) return tricky;
    return valuesOf(schemas[schema.$ref.split('/').pop() as string] as Schema, depth + 1);
  }
  const options: fc.Arbitrary<unknown>[] = [];
  if (Array.isArray(schema.anyOf)) options.push(...schema.anyOf.map((b) => valuesOf(b as Schema, depth + 1)));
  if (Array.isArray(schema.enum)) options.push(fc.constantFrom(...schema.enum));
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string);
  for (const type of types) {
    if (type === 'null') options.push(fc.constant(null));
    if (type === 'integer') options.push(fc.integer({ min: -3, max: 12 }));
    if (type === 'number') options.push(fc.double({ min: -3, max: 12, noNaN: true }));
    if (type === 'string') {
      if (typeof schema.pattern === 'string') options.push(fc.stringMatching(new RegExp(schema.pattern)));
      else if (schema.format === 'date-time')
        options.push(
          fc
            .date({
              min: new Date('0000-01-01T00:00:00Z'),
              max: new Date('9999-12-31T23:59:59Z'),
              noInvalidDate: true,
            })
            .map((d) => d.toISOString()),
        );
      else if (schema.format === 'uri') options.push(fc.webUrl());
      else options.push(fc.string({ unit: 'grapheme', maxLength: 4 }));
    }
    if (type === 'array')
      options.push(fc.array(valuesOf((schema.items ?? {}) as Schema, depth + 1), { maxLength: 4 }));
    if (type === 'object') {
      const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
      const required = (schema.required ?? []) as string[];
      options.push(
        fc.record(Object.fromEntries(properties.map(([name, sub]) => [name, valuesOf(sub, depth + 1)])), {
          requiredKeys: required.filter((name) => properties.some(([p]) => p === name)),
        }),
      );
    }
  }
  if (!options.length) options.push(fc.jsonValue({ maxDepth: 2 }));
  return fc.oneof({ weight: 6, arbitrary: fc.oneof(...options) }, { weight: 1, arbitrary: tricky });
}

const targets = Object.keys(schemas).map((name) => ({
  name,
  validate: generated[`validate${name}`] as Validator,
}));
const ajvCheck = (name: string) => {
  const check = ajv.getSchema(`synthetic#/components/schemas/${name}`);
  if (!check) throw new Error(`Ajv has no schema ${name}`);
  return check;
};

describe('the compiler, on a contract with every form it accepts', () => {
  it('makes a validator for each schema', () => {
    for (const { name, validate } of targets) expect(typeof validate, name).toBe('function');
  });

  it.each(targets)('$name agrees with Ajv: verdict, errors and their order', ({ name, validate }) => {
    const check = ajvCheck(name);
    fc.assert(
      fc.property(
        fc.oneof({ weight: 4, arbitrary: valuesOf(ref(name)) }, { weight: 1, arbitrary: tricky }),
        (value) => {
          expect(validate(value)).toBe(check(value));
          expect(validate.errors ?? []).toEqual(shaped(check.errors));
        },
      ),
      { numRuns: 250 },
    );
  });

  /** How many locations Ajv's errors past the cap add: a location's errors come together. */
  const locationsPastCap = (errors: { instancePath: unknown }[]) =>
    errors.slice(MAX_ERRORS).filter((e, i) => e.instancePath !== errors[MAX_ERRORS + i - 1]?.instancePath)
      .length;

  it('keeps the first MAX_ERRORS of Ajv errors on large bad arrays, anywhere, with the same verdict, and counts the rest', () => {
    const big = (item: fc.Arbitrary<unknown>) => fc.array(item, { minLength: 60, maxLength: 260 });
    const cases = fc.oneof(
      big(tricky).map((things) => ['Page', { things }] as const),
      big(tricky).map((value) => ['Lists', value] as const),
      big(fc.integer()).map((value) => ['Lists', value] as const),
      big(tricky).map((value) => ['Either', value] as const),
      big(tricky).map((tags) => ['Thing', { id: `XY${'a'.repeat(32)}`, 'a/b': 1, tags }] as const),
      fc
        .tuple(big(big(tricky)), tricky)
        .map(
          ([deep, x]) => ['Thing', { tags: [1, 'c'], nested: { x, deep }, maybe: { tags: deep } }] as const,
        ),
    );
    fc.assert(
      fc.property(cases, ([name, value]) => {
        const validate = generated[`validate${name}`] as Validator;
        const check = ajvCheck(name);
        expect(validate(value)).toBe(check(value));
        expect(validate.errors?.length ?? 0).toBeLessThanOrEqual(MAX_ERRORS);
        expect(validate.errors ?? []).toEqual(shaped(check.errors).slice(0, MAX_ERRORS));
        expect(validate.omitted).toBe(locationsPastCap(shaped(check.errors)));
      }),
      { numRuns: 25 },
    );
  });

  it('reads a fixed-length pattern by char code and checks the lengths only where it does not match', () => {
    const code = compiled['validators.js'] as string;
    const body = (name: string) =>
      code.slice(code.indexOf(`function check${name}(`)).split('\n}\n')[0] as string;
    expect(code).not.toContain('new RegExp("^XY');
    expect(body('Sid')).toMatch(
      /if \(!matchPattern\d+\(data\)\) \{\s+if \(tooLong\(data, 34\)\)[\s\S]*tooShort/,
    );
    // Not fixed, or fixed outside the bounds: the lengths first, in Ajv's order, then the pattern.
    expect(body('Slug')).toMatch(/tooLong[\s\S]*tooShort[\s\S]*PATTERN\d+\.test/);
    expect(body('TooLongForIt')).toMatch(/tooLong[\s\S]*matchPattern/);
  });
});

describe('what the compiler refuses, at generation, naming where', () => {
  const component = (schema: unknown) => contractOf({ Thing: schema });
  it.each([
    ['false', { schema: false, want: /boolean schema false.*#\/components\/schemas\/Thing$/ }],
    ['true', { schema: true, want: /boolean schema true.*#\/components\/schemas\/Thing$/ }],
    ['false in anyOf', { schema: { anyOf: [false, false] }, want: /boolean schema false.*Thing\/anyOf\/0$/ }],
    [
      'true as the items',
      { schema: { type: 'array', items: true }, want: /boolean schema true.*Thing\/items$/ },
    ],
    [
      'false as a property',
      { schema: { properties: { 'a/b': false } }, want: /boolean schema false.*Thing\/properties\/a~1b$/ },
    ],
    ['null', { schema: { anyOf: [{}, null] }, want: /null as a schema.*Thing\/anyOf\/1$/ }],
    ['a number', { schema: { items: 1 }, want: /1 as a schema.*Thing\/items$/ }],
    ['a string', { schema: { properties: { a: 'string' } }, want: /"string" as a schema.*properties\/a$/ }],
    [
      'a list as the items (the tuple form)',
      { schema: { items: [{}] }, want: /items \[\{\}\].*prefixItems/ },
    ],
    ['a keyword it does not implement', { schema: { minItems: 1 }, want: /the keyword "minItems"/ }],
    ['an unknown type', { schema: { type: 'float' }, want: /type "float"/ }],
    ['no type', { schema: { type: [] }, want: /type \[\]/ }],
    ['a type twice', { schema: { type: ['string', 'string'] }, want: /type \["string","string"\]/ }],
    ['an empty enum', { schema: { enum: [] }, want: /enum \[\]/ }],
    ['an enum of objects', { schema: { enum: [{ a: 1 }] }, want: /enum \[\{"a":1\}\]/ }],
    ['-0 in an enum', { schema: { enum: [-0] }, want: /enum \[0\]/ }],
    ['an empty anyOf', { schema: { anyOf: [] }, want: /anyOf \[\]/ }],
    ['a limit that is no number', { schema: { maximum: '3' }, want: /maximum "3"/ }],
    ['a length that is no integer', { schema: { maxLength: 1.5 }, want: /maxLength 1.5/ }],
    ['a negative length', { schema: { minLength: -1 }, want: /minLength -1/ }],
    ['a pattern the u flag refuses', { schema: { pattern: '\\-[' }, want: /pattern/ }],
    ['a pattern whose source reads otherwise', { schema: { pattern: 'a/b' }, want: /pattern "a\/b"/ }],
    ['an unknown format', { schema: { format: 'email' }, want: /format "email"/ }],
    [
      'a format named like an Object.prototype member',
      { schema: { format: 'toString' }, want: /format "toString"/ },
    ],
    ['required twice', { schema: { required: ['a', 'a'] }, want: /required \["a","a"\]/ }],
    ['required not strings', { schema: { required: [1] }, want: /required \[1\]/ }],
    ['properties that are a list', { schema: { properties: [{}] }, want: /properties \[\{\}\]/ }],
    [
      'a $ref beside a keyword',
      { schema: { $ref: '#/components/schemas/Other', type: 'string' }, want: /\$ref beside type/ },
    ],
    ['a $ref out of the contract', { schema: { $ref: 'other.json#/a' }, want: /\$ref "other.json#\/a"/ }],
  ])('%s', async (_, { schema, want }) => {
    await expect(generateValidators(component(schema))).rejects.toThrow(want);
  });

  it('refuses a $ref to what the contract does not hold, inherited members included', async () => {
    for (const name of ['Missing', 'constructor', 'toString', '__proto__'])
      await expect(
        generateValidators(contractOf({ Thing: { $ref: `#/components/schemas/${name}` } })),
      ).rejects.toThrow(`Unresolved $ref #/components/schemas/${name}`);
  });

  it('reads a $ref as a JSON pointer (~1 is /, ~0 is ~)', async () => {
    const contract = {
      ...contractOf({ Thing: { $ref: '#/x-shared/a~1b~0c' } }),
      'x-shared': { 'a/b~c': { type: 'string' } },
    } as unknown as OpenApiDocument;
    const validators = await compile(contract);
    expect(validators.validateThing?.('x')).toBe(true);
    expect(validators.validateThing?.(1)).toBe(false);
  });
});

/** The members of Object.prototype the issue names: a JSON object has them only where it holds them itself. */
const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'] as const;

describe('an object is read for its own members only', async () => {
  // Built by JSON.parse: in a literal, `__proto__` sets the prototype instead of naming a member.
  const required = JSON.parse(
    `{${PROTOTYPE_NAMES.map((name) => `"Needs_${name}": {"type": "object", "required": ["${name}"]}`).join(', ')}}`,
  );
  const typed = JSON.parse(
    `{${PROTOTYPE_NAMES.map((name) => `"Types_${name}": {"type": "object", "properties": {"${name}": {"type": "string"}}}`).join(', ')}}`,
  );
  const validators = await compile(
    contractOf({
      ...required,
      ...typed,
      Sid: { type: 'object', required: ['sid'], properties: { sid: { type: 'integer' } } },
    }),
  );
  const check = (name: string, value: unknown) => {
    const validate = validators[`validate${name}`] as Validator;
    return { valid: validate(value), errors: validate.errors ?? [] };
  };
  const missing = (name: string) => ({
    instancePath: '',
    keyword: 'required',
    params: { missingProperty: name },
    message: `must have required property '${name}'`,
  });
  const notString = (name: string) => ({
    instancePath: `/${name}`,
    keyword: 'type',
    params: { type: 'string' },
    message: 'must be string',
  });

  it.each(PROTOTYPE_NAMES)('required: [%j] is not met by {}, and is by an own member', (name) => {
    expect(check(`Needs_${name}`, {})).toEqual({ valid: false, errors: [missing(name)] });
    expect(check(`Needs_${name}`, JSON.parse(`{"${name}": 1}`))).toEqual({ valid: true, errors: [] });
  });

  it.each(PROTOTYPE_NAMES)(
    'properties: {%j} leaves what {} inherits alone, and checks an own member',
    (name) => {
      expect(check(`Types_${name}`, {})).toEqual({ valid: true, errors: [] });
      expect(check(`Types_${name}`, JSON.parse(`{"${name}": "x"}`))).toEqual({ valid: true, errors: [] });
      expect(check(`Types_${name}`, JSON.parse(`{"${name}": 1}`))).toEqual({
        valid: false,
        errors: [notString(name)],
      });
    },
  );

  it('agrees with Ajv with ownProperties on each name but __proto__ (which Ajv leaves out of properties)', () => {
    const reference = new Ajv2020.default({ allErrors: true, strict: false, ownProperties: true });
    for (const name of PROTOTYPE_NAMES)
      for (const [prefix, schemas] of [
        ['Needs_', required],
        ['Types_', typed],
      ] as const) {
        const schema = schemas[`${prefix}${name}`];
        for (const value of [{}, JSON.parse(`{"${name}": "x"}`), JSON.parse(`{"${name}": 1}`)]) {
          const validate = reference.compile(schema);
          const verdict = validate(value);
          if (name === '__proto__' && prefix === 'Types_') continue;
          expect(check(`${prefix}${name}`, value), `${prefix}${name} ${JSON.stringify(value)}`).toEqual({
            valid: verdict,
            errors: shaped(validate.errors),
          });
        }
      }
  });

  it('lends nothing from a polluted Object.prototype', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.sid = 'x';
    try {
      expect(check('Sid', {})).toEqual({ valid: false, errors: [missing('sid')] });
      expect(check('Types_toString', {})).toEqual({ valid: true, errors: [] });
      expect(check('Sid', { sid: 1 })).toEqual({ valid: true, errors: [] });
    } finally {
      delete prototype.sid;
    }
  });

  it('reads an object without a prototype, and one with a prototype of its own, for its own members too', () => {
    const bare = Object.assign(Object.create(null), { sid: 1 });
    expect(check('Sid', bare)).toEqual({ valid: true, errors: [] });
    expect(check('Sid', Object.create(null))).toEqual({ valid: false, errors: [missing('sid')] });
    expect(check('Sid', Object.create({ sid: 1 }))).toEqual({ valid: false, errors: [missing('sid')] });
    expect(check('Types_toString', Object.create({ toString: 1 }))).toEqual({ valid: true, errors: [] });
  });
});

describe('numbers, strings and patterns as 2020-12 defines them', () => {
  const check = (name: string, value: unknown) => (generated[`validate${name}`] as Validator)(value);

  it.each([
    ['1.0, which is 1', { name: 'Whole', given: 1.0, want: true }],
    ['1e308, a whole number', { name: 'Whole', given: 1e308, want: true }],
    ['2^53 + 2, exactly as read', { name: 'Whole', given: 2 ** 53 + 2, want: true }],
    ['1.5', { name: 'Whole', given: 1.5, want: false }],
    [
      'Infinity (JSON.parse of 1e999), past what a number may be here',
      { name: 'Whole', given: JSON.parse('1e999'), want: false },
    ],
    ['NaN', { name: 'Amount', given: Number.NaN, want: false }],
    [
      'Infinity where only bounds apply: not a number, so not bounded',
      { name: 'Bounded', given: Number.POSITIVE_INFINITY, want: true },
    ],
    ['1.0 in enum [1]', { name: 'Mixed', given: 1.0, want: true }],
    ['one code point for ^.$ (the u flag)', { name: 'OneCodePoint', given: '😀', want: true }],
    ['two for ^.$', { name: 'OneCodePoint', given: 'ab', want: false }],
    ['minLength counts code points', { name: 'Short', given: '😀😀', want: true }],
    ['maxLength counts code points', { name: 'Short', given: '😀😀😀', want: false }],
  ])('%s', (_, { name, given, want }) => {
    expect(check(name, given)).toBe(want);
  });
});

describe('what a pattern proves', () => {
  it.each([
    ['^BS[0-9a-fA-F]{32}$', 34],
    ['^a{3}$', 3],
    ['^a{2,2}b$', 3],
    ['^\\d{2}-\\d{2}$', 5],
    ['^[a-]\\.[\\w.]{0}$', 2],
    ['^\\w\\$$', 2],
    ['^$', 0],
    ['^[\\]\\-]$', 1],
  ])('%s is %i ASCII characters', (pattern, length) => {
    expect(fixedAsciiLength(pattern)).toBe(length);
  });

  it.each([
    'a$',
    '^a',
    '^a\\$',
    '^a+$',
    '^a*$',
    '^a?$',
    '^a{1,2}$',
    '^a{2,}$',
    '^a{2}?$',
    '^.$',
    '^a|b$',
    '^(ab)$',
    '^(?:ab)$',
    '^[^a]$',
    '^\\s$',
    '^\\D$',
    '^\\u0041$',
    '^\\p{L}$',
    '^é$',
    '^[a-é]$',
    '^[😀]$',
    '^a$|^b$',
    '^\\bx$',
  ])('%s is not proven', (pattern) => {
    expect(() => new RegExp(pattern, 'u')).not.toThrow();
    expect(fixedAsciiAtoms(pattern)).toBeUndefined();
  });

  /** Patterns from a grammar of single-character atoms and quantifiers, some provable, some not. */
  const atom = fc.oneof(
    fc.constantFrom('a', 'Z', '0', '-', '_', ' ', '/', ':', '#', '\\.', '\\$', '\\-', '\\d', '\\w', '\\\\'),
    // [0-9a-fA-F] and \d are sets of the runtime's uri table: the matchers run on it.
    fc.constantFrom(
      '[a-f]',
      '[0-9A-F]',
      '[0-9a-fA-F]',
      '[a-]',
      '[-x]',
      '[\\d_]',
      '[\\w.]',
      '[.*+?]',
      '[\\]\\\\]',
      '[ -~]',
    ),
    fc.constantFrom('.', '\\s', '[^a]', 'é', '\\u00e9', '(a)', '(?:ab)', '[a-zé]', '\\D'),
  );
  const quantifier = fc.constantFrom(
    '',
    '',
    '',
    '{3}',
    '{1}',
    '{0}',
    '{2,2}',
    '{1,3}',
    '+',
    '*',
    '?',
    '{2}?',
  );
  const pattern = fc
    .tuple(fc.array(fc.tuple(atom, quantifier), { maxLength: 6 }), fc.boolean())
    .map(([parts, alternation]) => `^${parts.map(([a, q]) => a + q).join('')}${alternation ? '|x' : ''}$`)
    .filter((p) => {
      try {
        new RegExp(p, 'u');
        return true;
      } catch {
        return false;
      }
    });

  it('every match of a pattern proven fixed has that many characters, all ASCII', () => {
    fc.assert(
      fc.property(
        pattern
          .filter((p) => fixedAsciiLength(p) !== undefined)
          .chain((p) => fc.tuple(fc.constant(p), fc.stringMatching(new RegExp(p, 'u')))),
        ([p, match]) => {
          expect(new RegExp(p, 'u').test(match)).toBe(true);
          expect(match.length).toBe(fixedAsciiLength(p));
          expect([...match].length).toBe(match.length);
          expect([...match].every((c) => c.charCodeAt(0) < 128)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a pattern proven fixed is matched by char code exactly where the regular expression matches', () => {
    const near = (p: string) =>
      fc
        .tuple(
          fc.stringMatching(new RegExp(p, 'u')),
          fc.nat(),
          fc.constantFrom('a', 'Z', '0', '-', 'é', '😀', '\ud800', ''),
          fc.boolean(),
        )
        .map(([s, at, c, insert]) => {
          const i = at % (s.length + 1);
          return s.slice(0, i) + c + s.slice(insert ? i : i + 1);
        });
    fc.assert(
      fc.property(
        pattern
          .filter((p) => fixedAsciiAtoms(p) !== undefined)
          .chain((p) =>
            fc.tuple(
              fc.constant(p),
              fc.oneof(
                near(p),
                fc.stringMatching(new RegExp(p, 'u')),
                fc.string({ unit: 'binary', maxLength: 12 }),
              ),
            ),
          ),
        ([p, s]) => {
          expect((fixedPatternMatcher(p) as (s: string) => boolean)(s)).toBe(new RegExp(p, 'u').test(s));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the grammar reaches both kinds of pattern', () => {
    // About 66 of 500 are provable (48 to 86 over 200 seeds): a fixed seed keeps this count from
    // flaking, and the bounds far from it still fail a grammar that reaches only one kind.
    const sample = fc.sample(pattern, { numRuns: 500, seed: 20261127 });
    const proven = sample.filter((p) => fixedAsciiLength(p) !== undefined).length;
    expect(proven).toBeGreaterThan(20);
    expect(proven).toBeLessThan(480);
  });
});

describe('the error cap on the contract', () => {
  /** An array of `length` copies of `item` that counts the items read. */
  function counted(length: number, item: unknown) {
    const reads = { count: 0 };
    const array = new Proxy(new Array(length).fill(item), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads.count++;
        return Reflect.get(target, key, receiver);
      },
    });
    return { array, reads };
  }
  const page = example('ListServiceBinding', '200') as Record<string, unknown>;

  it('is a hundred errors, exported by the runtime', () => {
    expect(MAX_ERRORS).toBe(100);
  });

  it('keeps MAX_ERRORS errors of 100,000 bad message types, reads every item and counts the rest', () => {
    const { array, reads } = counted(100_000, 1);
    expect(validateServiceBinding({ ...bindingExample, message_types: array })).toBe(false);
    expect(validateServiceBinding.errors).toHaveLength(MAX_ERRORS);
    expect(validateServiceBinding.errors?.[0]).toEqual({
      instancePath: '/message_types/0',
      keyword: 'type',
      params: { type: 'string' },
      message: 'must be string',
    });
    expect(validateServiceBinding.errors?.at(-1)?.instancePath).toBe(`/message_types/${MAX_ERRORS - 1}`);
    expect(validateServiceBinding.omitted).toBe(100_000 - MAX_ERRORS);
    expect(reads.count).toBe(100_000);
  });

  it('keeps MAX_ERRORS errors of 100,000 bad bindings and counts the rest', () => {
    const { array, reads } = counted(100_000, 1);
    expect(validateListServiceBindingResponse({ ...page, bindings: array })).toBe(false);
    expect(validateListServiceBindingResponse.errors).toHaveLength(MAX_ERRORS);
    expect(validateListServiceBindingResponse.errors?.at(-1)?.instancePath).toBe(
      `/bindings/${MAX_ERRORS - 1}`,
    );
    expect(validateListServiceBindingResponse.omitted).toBe(100_000 - MAX_ERRORS);
    expect(reads.count).toBe(100_000);
  });

  it('past a binding that alone holds more than MAX_ERRORS errors, still reads the other bindings and the meta', () => {
    const { array, reads } = counted(1_000, { ...bindingExample, message_types: new Array(500).fill(1) });
    expect(validateListServiceBindingResponse({ ...page, bindings: array, meta: 'x' })).toBe(false);
    expect(validateListServiceBindingResponse.errors).toHaveLength(MAX_ERRORS);
    expect(validateListServiceBindingResponse.errors?.at(-1)?.instancePath).toBe(
      `/bindings/0/message_types/${MAX_ERRORS - 1}`,
    );
    // Each binding's 500 locations, less those kept, and the meta.
    expect(validateListServiceBindingResponse.omitted).toBe(1_000 * 500 - MAX_ERRORS + 1);
    expect(reads.count).toBe(1_000);
  });

  it('counts the errors of one location once, kept or not', () => {
    // A binding_type of the wrong type breaks its type and its enum: two errors at one location.
    const bindings = new Array(MAX_ERRORS + 1).fill({ ...bindingExample, binding_type: 42 });
    expect(validateListServiceBindingResponse({ ...page, bindings })).toBe(false);
    expect(validateListServiceBindingResponse.errors).toHaveLength(MAX_ERRORS);
    expect(validateListServiceBindingResponse.omitted).toBe(MAX_ERRORS + 1 - MAX_ERRORS / 2);
  });

  it('still reads every item of a valid array, and of an array with fewer bad items than the cap', () => {
    const valid = counted(5000, 'new_message');
    expect(validateServiceBinding({ ...bindingExample, message_types: valid.array })).toBe(true);
    expect(valid.reads.count).toBe(5000);
    const fewBad = counted(5000, 'new_message');
    const target = fewBad.array as unknown[];
    Reflect.set(target, 4999, 1);
    expect(validateServiceBinding({ ...bindingExample, message_types: target })).toBe(false);
    expect(validateServiceBinding.errors?.map((e) => e.instancePath)).toEqual(['/message_types/4999']);
    expect(validateServiceBinding.omitted).toBe(0);
  });
});
