// What the validator compiler accepts, checked on each schema before it is compiled and refused with
// the schema's location otherwise: a schema object (boolean schemas are refused, not compiled: the
// contract has none, `{}` says what `true` does, and `false` would need a keyword of its own in the
// runtime), whose keywords are those the compiler implements (annotations and `x-` extensions aside),
// each with a value the JSON Schema 2020-12 meta-schema allows and the compiler implements exactly.

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

/** Each format the runtime checks: the values it applies to (Ajv's `type` of a format) and its test. */
export const FORMATS: ReadonlyMap<string, { applies: 'number' | 'string'; test: string }> = new Map([
  ['date-time', { applies: 'string', test: 'dateTime' }],
  ['uri', { applies: 'string', test: 'uri' }],
  ['int64', { applies: 'number', test: 'int64' }],
] as const);

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object']);
const isType = (value: unknown) => typeof value === 'string' && TYPES.has(value);
const distinct = (values: readonly unknown[]) => new Set(values).size === values.length;
const isList = (value: unknown): value is unknown[] => Array.isArray(value);
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isLength = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
/** A value enum compares with `===`, which is JSON Schema's equality for these (1 and 1.0 are one number). */
const isEnumValue = (value: unknown) =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (Number.isFinite(value) && !Object.is(value, -0));

/** A pattern, as Ajv compiles it (the `u` flag, as 2020-12 asks), whose `source` reads as written (Ajv names it so). */
function isPattern(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new RegExp(value, 'u').source === value;
  } catch {
    return false;
  }
}

/** Each keyword the compiler checks: the values it accepts, and those in words. */
const KEYWORDS: ReadonlyMap<string, readonly [accepts: (value: unknown) => boolean, rule: string]> = new Map([
  [
    'type',
    [
      (v) => isType(v) || (isList(v) && v.length > 0 && v.every(isType) && distinct(v)),
      'a JSON type, or a non-empty list of distinct ones',
    ],
  ],
  [
    'enum',
    [
      (v) => isList(v) && v.length > 0 && v.every(isEnumValue),
      'a non-empty list of strings, finite numbers but -0, booleans and null',
    ],
  ],
  ['anyOf', [(v) => isList(v) && v.length > 0, 'a non-empty list of schemas']],
  ['maximum', [Number.isFinite, 'a finite number']],
  ['minimum', [Number.isFinite, 'a finite number']],
  ['maxLength', [isLength, 'a non-negative integer']],
  ['minLength', [isLength, 'a non-negative integer']],
  ['pattern', [isPattern, 'a regular expression valid with the u flag, its source as written']],
  ['format', [(v) => typeof v === 'string' && FORMATS.has(v), `one of ${[...FORMATS.keys()].join(', ')}`]],
  ['items', [(v) => !isList(v), 'one schema (a list is the tuple form, which 2020-12 spells prefixItems)']],
  [
    'required',
    [
      (v) => isList(v) && v.every((name) => typeof name === 'string') && distinct(v),
      'a list of distinct strings',
    ],
  ],
  ['properties', [isObject, 'an object of schemas']],
]);

/** Refuses what the compiler does not implement, naming where the contract has it. */
export function refuse(what: string, at: string): never {
  throw new Error(`The validator compiler does not support ${what}, at ${at}`);
}

/** A schema's keys that constrain values: all but annotations and `x-` extensions. */
export const constraining = (schema: Schema) =>
  Object.keys(schema).filter((key) => !ANNOTATIONS.has(key) && !key.startsWith('x-'));

/** The `$ref` a schema is (annotations aside), if it is one. */
export const refOf = (schema: Schema): string | undefined =>
  typeof schema.$ref === 'string' ? schema.$ref : undefined;

/** `node` as a schema the compiler implements exactly (its subschemas are checked where they are compiled), or an error. */
export function acceptedSchema(node: unknown, at: string): Schema {
  if (typeof node === 'boolean') refuse(`the boolean schema ${node} (write {} for true)`, at);
  if (!isObject(node)) refuse(`${JSON.stringify(node)} as a schema (a schema is an object)`, at);
  const schema = node as Schema;
  const keys = constraining(schema);
  if (Object.hasOwn(schema, '$ref')) {
    const ref = schema.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/'))
      refuse(`$ref ${JSON.stringify(ref)} (only a JSON pointer into the contract, #/…)`, at);
    if (keys.length > 1) refuse(`$ref beside ${keys.filter((k) => k !== '$ref').join(', ')}`, at);
    return schema;
  }
  for (const key of keys) {
    const rule = KEYWORDS.get(key);
    if (!rule) refuse(`the keyword "${key}"`, at);
    const [accepts, words] = rule;
    if (!accepts(schema[key])) refuse(`${key} ${JSON.stringify(schema[key])} (it must be ${words})`, at);
  }
  return schema;
}
