// conversations-bindings-contract/testing/arbitraries: fast-check arbitraries (fast-check ≥ 4 is an
// optional peer) built from the contract's rules (generated/schema-rules.js): for each component schema and
// each operation's parameters, valid values that reach every corner the contract allows, and invalid ones
// that each break exactly one rule, proven by the contract's own validators (a shrunk invalid value still
// breaks the rule it was made to break: the proof is a filter, and shrinking keeps it).
import fc from 'fast-check';
import { operationFacts, parameterExamples } from '../../generated/contract.js';
import { parameterSchemas, schemaRules } from '../../generated/schema-rules.js';
import * as validators from '../../generated/validators.js';
import type { components, OperationId, ParamsOf } from '../client/types.js';
import type { ParameterSchema, SchemaRule } from './schema-rule.js';

type SchemaName = keyof typeof schemaRules;
type Schemas = components['schemas'];

/** The longest array a valid value holds where the contract sets no bound (the "maximal" array). */
export const MAX_ARRAY_LENGTH = 5;
/** The longest string a valid value holds where the contract sets no `maxLength` (a long one: see validString). */
export const MAX_STRING_LENGTH = 2_000;
/** Where the contract sets no `maxLength`, one valid string in LONG_STRING_SHARE is a long one. */
export const LONG_STRING_SHARE = 8;

/** The rule a value was made to break: where (a JSON pointer, `` for the value) and which keyword. */
export interface Broken {
  path: string;
  keyword: string;
}
export interface InvalidSample {
  value: unknown;
  breaks: Broken;
}

const resolve = (rule: SchemaRule): SchemaRule =>
  rule.ref ? resolve(schemaRules[rule.ref as SchemaName]) : rule;
const typesOf = (rule: SchemaRule) => (rule.type === undefined ? [] : [rule.type].flat());
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** RFC 3339 date-times: any zone (Z, z, ±hh:mm), with or without a fraction, leap seconds where UTC is 23:59:60. */
export function dateTime(): fc.Arbitrary<string> {
  const date = fc.date({
    min: new Date('0001-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  });
  const fraction = fc.option(fc.stringMatching(/^\.\d{1,9}$/), { nil: '' });
  const zone = fc.oneof(
    fc.constantFrom('Z', 'z'),
    fc
      .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`),
  );
  const ordinary = fc.tuple(date, fc.constantFrom('T', 't'), fraction, zone).map(([d, t, f, z]) => {
    const iso = d.toISOString();
    const year = iso.startsWith('+') || iso.startsWith('-') ? iso.slice(3, 7) : iso.slice(0, 4);
    return `${year}${iso.slice(iso.indexOf('-', 1), 10)}${t}${iso.slice(11, 19)}${f}${z}`;
  });
  // A leap second is 23:59:60 UTC: written in UTC, or in a zone whole hours away.
  const leap = fc
    .tuple(fc.constantFrom('1972-06-30', '2016-12-31'), fc.integer({ min: -12, max: 12 }), fraction)
    .map(([day, hours, f]) => {
      if (!hours) return `${day}T23:59:60${f}Z`;
      const local = (23 + hours + 24) % 24;
      const localDay =
        hours > 0 ? new Date(Date.parse(`${day}T00:00:00Z`) + 864e5).toISOString().slice(0, 10) : day;
      return `${localDay}T${pad(local)}:59:60${f}${hours > 0 ? '+' : '-'}${pad(Math.abs(hours))}:00`;
    });
  return fc.oneof({ arbitrary: ordinary, weight: 4 }, { arbitrary: leap, weight: 1 });
}

/** Absolute http(s) URIs: hosts, ports, paths, queries, fragments, percent-encoded octets. */
export const uri = (): fc.Arbitrary<string> =>
  fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true });

/**
 * Strings of a pattern within lengths. Made once per pattern and lengths: fast-check's `stringMatching`
 * costs tens of milliseconds to build, and the contract's SID patterns recur in every schema that holds one.
 */
const patternedArbitraries = new Map<string, fc.Arbitrary<string>>();
function patterned(pattern: string, min: number, max: number): fc.Arbitrary<string> {
  const key = JSON.stringify([pattern, min, max]);
  let made = patternedArbitraries.get(key);
  if (!made) {
    const length = (s: string) => [...s].length;
    made = fc.stringMatching(new RegExp(pattern, 'u')).filter((s) => length(s) >= min && length(s) <= max);
    patternedArbitraries.set(key, made);
  }
  return made;
}

/** A string of this rule (its pattern, lengths and format), both length bounds reached. */
function validString(rule: SchemaRule): fc.Arbitrary<string> {
  if (rule.format === 'date-time') return dateTime();
  if (rule.format === 'uri') return uri();
  if (rule.pattern !== undefined)
    return patterned(rule.pattern, rule.minLength ?? 0, rule.maxLength ?? Infinity);
  const min = rule.minLength ?? 0;
  // The bounds the contract sets, each reached (a fixed-length branch does not shrink: only where bounded).
  const sized = (n: number) => fc.string({ unit: 'binary', minLength: n, maxLength: n });
  if (rule.maxLength !== undefined) {
    const any = fc.string({ unit: 'binary', minLength: min, maxLength: rule.maxLength });
    return fc.oneof(any, sized(min), sized(rule.maxLength));
  }
  // No upper bound: mostly short strings of any code point, and now and then a long one (tens to
  // thousands of characters), so a fault past some length is reached: a short one followed by a run of
  // one printable ASCII character (a URL carries the longest in a few KB). The run's length shrinks as a
  // number, so a failure shrinks in a few dozen steps to the shortest length that fails (each step of a
  // --fuzz run is a request: shrinking a string character by character would cost thousands).
  const short = fc.string({ unit: 'binary', minLength: min, maxLength: min + 16 });
  const run = fc.integer({ min: 0, max: Math.max(0, MAX_STRING_LENGTH - min - 16) });
  const long = fc
    .tuple(short, run, fc.string({ minLength: 1, maxLength: 1 }))
    .map(([head, n, c]) => head + c.repeat(n));
  const unbounded = fc.oneof(
    { arbitrary: short, weight: LONG_STRING_SHARE - 1 },
    { arbitrary: long, weight: 1 },
  );
  return rule.minLength === undefined ? unbounded : fc.oneof(unbounded, sized(min));
}

/** A number of this rule, its bounds reached (integers the JSON and a URL carry exactly). */
function validNumber(rule: SchemaRule, integer: boolean): fc.Arbitrary<number> {
  const min = rule.minimum ?? (integer ? Number.MIN_SAFE_INTEGER : -1e9);
  const max = rule.maximum ?? (integer ? Number.MAX_SAFE_INTEGER : 1e9);
  const any = integer
    ? fc.maxSafeInteger().filter((n) => n >= min && n <= max)
    : fc.double({ min, max, noNaN: true });
  const inside = integer && max - min < 2 ** 31 ? fc.integer({ min, max }) : any;
  return fc.oneof(fc.constant(min), fc.constant(max), inside);
}

/** Valid values of a rule: every branch, type, enum value, `null` where allowed, empty and maximal arrays. */
export function validOf(given: SchemaRule): fc.Arbitrary<unknown> {
  const rule = resolve(given);
  if (rule.anyOf) return fc.oneof(...rule.anyOf.map(validOf));
  if (rule.enum) return fc.constantFrom(...rule.enum);
  const types = typesOf(rule);
  if (types.length > 1) return fc.oneof(...types.map((type) => validOf({ ...rule, type })));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'string':
      return validString(rule);
    case 'integer':
    case 'number':
      return validNumber(rule, types[0] === 'integer');
    case 'boolean':
      return fc.boolean();
    case 'array':
      // One arbitrary of every length up to the maximal one (so a case shrinks to as few items as fail).
      return fc.array(validOf(rule.items ?? {}), { maxLength: MAX_ARRAY_LENGTH });
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries(rule.properties ?? {}).map(([k, s]) => [k, validOf(s)]),
      );
      return fc.record(properties, { requiredKeys: rule.required ?? [] });
    }
    default:
      return fc.jsonValue();
  }
}

/** A value of another JSON type than the rule allows (null only where the rule does not allow it). */
function wrongType(rule: SchemaRule): fc.Arbitrary<unknown> | undefined {
  const allowed = new Set(typesOf(rule));
  if (!allowed.size) return undefined;
  // 1.5 is a number but no integer: it breaks `type: integer` as a string breaks `type: number`.
  const others: [string, unknown][] = [
    ['string', 'x'],
    ['number', 1.5],
    ['boolean', true],
    ['array', []],
    ['object', {}],
    ['null', null],
  ];
  const candidates = others.filter(([type]) => !allowed.has(type));
  return candidates.length ? fc.constantFrom(...candidates.map(([, v]) => v)) : undefined;
}

/** For a string rule: values that break each of its rules alone (lengths only where no pattern fixes them). */
function stringBreaks(rule: SchemaRule): [string, fc.Arbitrary<unknown>][] {
  const breaks: [string, fc.Arbitrary<unknown>][] = [];
  if (rule.pattern !== undefined) {
    const re = new RegExp(rule.pattern, 'u');
    const length = rule.patternLength ?? rule.minLength ?? 1;
    breaks.push(['pattern', fc.string({ minLength: length, maxLength: length }).filter((s) => !re.test(s))]);
  } else {
    if (rule.minLength)
      breaks.push(['minLength', fc.string({ unit: 'binary', maxLength: rule.minLength - 1 })]);
    if (rule.maxLength !== undefined)
      breaks.push([
        'maxLength',
        fc.string({ unit: 'binary', minLength: rule.maxLength + 1, maxLength: rule.maxLength + 8 }),
      ]);
  }
  if (rule.format === 'date-time')
    breaks.push([
      'format',
      dateTime().chain((s) =>
        fc.constantFrom(
          s.replace(/T|t/, '_'),
          `${s.slice(0, 5)}13${s.slice(7)}`,
          s.replace(/(Z|z|[+-]\d\d:\d\d)$/, ''),
        ),
      ),
    ]);
  if (rule.format === 'uri')
    breaks.push([
      'format',
      fc.constantFrom('no scheme', '/relative/path', 'http://exa mple.com/', 'http://[::1/'),
    ]);
  return breaks;
}

/** Values that break one of a rule's keywords at `path`, each with the keyword it breaks. */
function breaksOf(given: SchemaRule, path: string): fc.Arbitrary<InvalidSample>[] {
  const rule = resolve(given);
  const at = (keyword: string, arb: fc.Arbitrary<unknown>) =>
    arb.map((value) => ({ value, breaks: { path, keyword } }));
  const out: fc.Arbitrary<InvalidSample>[] = [];
  // `anyOf [X, null]`: X's own breaks (a value that is not null, so only X's rule can judge it).
  if (rule.anyOf) {
    const [first, second] = rule.anyOf;
    if (rule.anyOf.length === 2 && first && resolve(second ?? {}).type === 'null')
      return breaksOf(first, path);
    return [];
  }
  if (rule.enum) {
    const allowed = new Set(rule.enum);
    out.push(
      at(
        'enum',
        fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !allowed.has(s)),
      ),
    );
    return out;
  }
  const wrong = wrongType(rule);
  if (wrong) out.push(at('type', wrong));
  const types = typesOf(rule);
  if (types.includes('string')) for (const [keyword, arb] of stringBreaks(rule)) out.push(at(keyword, arb));
  if (types.includes('integer') || types.includes('number')) {
    if (rule.minimum !== undefined)
      out.push(
        at(
          'minimum',
          fc.integer({ min: 1, max: 1000 }).map((d) => (rule.minimum as number) - d),
        ),
      );
    if (rule.maximum !== undefined)
      out.push(
        at(
          'maximum',
          fc.integer({ min: 1, max: 1000 }).map((d) => (rule.maximum as number) + d),
        ),
      );
  }
  if (types.includes('array') && rule.items) {
    const items = rule.items;
    for (const inner of breaksOf(items, `${path}/0`))
      out.push(
        fc
          .tuple(inner, fc.array(validOf(items), { maxLength: 3 }))
          .map(([bad, rest]) => ({ value: [bad.value, ...rest], breaks: bad.breaks })),
      );
  }
  if (types.includes('object')) out.push(...objectBreaks(rule, path));
  return out;
}

/** An object of a rule with one property broken, or one required property left out. */
function objectBreaks(rule: SchemaRule, path: string): fc.Arbitrary<InvalidSample>[] {
  const out: fc.Arbitrary<InvalidSample>[] = [];
  const whole = validOf({ ...rule, required: Object.keys(rule.properties ?? {}) }) as fc.Arbitrary<
    Record<string, unknown>
  >;
  for (const name of rule.required ?? [])
    out.push(
      whole.map((value) => {
        const { [name]: _, ...rest } = value;
        return { value: rest, breaks: { path, keyword: 'required' } };
      }),
    );
  for (const [name, sub] of Object.entries(rule.properties ?? {})) {
    const key = `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    for (const bad of breaksOf(sub, `${path}${key}`))
      out.push(
        fc
          .tuple(whole, bad)
          .map(([value, b]) => ({ value: { ...value, [name]: b.value }, breaks: b.breaks })),
      );
  }
  return out;
}

/** Whether a validator's only complaint is the rule (at its path): `anyOf`/`null` folding left aside. */
function onlyBreaks(
  validate: ((v: unknown) => boolean) & { errors?: { instancePath: string; keyword: string }[] | null },
  sample: InvalidSample,
): boolean {
  if (validate(sample.value)) return false;
  const errors = (validate.errors ?? []).filter(
    (e) =>
      e.keyword !== 'anyOf' &&
      !(e.keyword === 'type' && (e as { params?: { type?: unknown } }).params?.type === 'null'),
  );
  return (
    errors.length > 0 &&
    errors.every((e) => e.instancePath === sample.breaks.path && e.keyword === sample.breaks.keyword)
  );
}

const validatorOf = (name: string) =>
  (validators as unknown as Record<string, Parameters<typeof onlyBreaks>[0]>)[`validate${name}`];

/** Valid values of each component schema. */
export const valid = Object.fromEntries(
  Object.keys(schemaRules).map((name) => [name, validOf({ ref: name })]),
) as { [Name in SchemaName]: fc.Arbitrary<Schemas[Name]> };

/** Invalid values of each component schema, each breaking exactly one rule (the validator agrees). */
export const invalid = Object.fromEntries(
  Object.keys(schemaRules).map((name) => {
    const validate = validatorOf(name);
    const breaks = breaksOf({ ref: name }, '');
    return [name, fc.oneof(...breaks).filter((s) => validate !== undefined && onlyBreaks(validate, s))];
  }),
) as { [Name in SchemaName]: fc.Arbitrary<InvalidSample> };

/** An operation's parameters with one broken: which parameter, and the rule its value breaks. */
export interface InvalidParameters {
  params: Record<string, unknown>;
  breaks: Broken & { parameter: string };
}

/**
 * Valid values of each operation's parameters (camel-cased, as the client takes them): optional ones given
 * or not. A value the service writes (`x-opaque`, a page token) is left out: only the service can make one.
 */
export const validParameters = Object.fromEntries(
  Object.entries(parameterSchemas).map(([id, params]) => [id, parametersOf(params.filter((p) => !p.opaque))]),
) as { [Id in OperationId]: fc.Arbitrary<ParamsOf<Id>> };

function parametersOf(params: readonly ParameterSchema[]) {
  const fields = Object.fromEntries(params.map((p) => [p.key, validOf(p.schema)]));
  return fc.record(fields, { requiredKeys: params.filter((p) => p.required).map((p) => p.key) });
}

/**
 * Each operation's parameters with exactly one value breaking exactly one rule (the parameter's own
 * validator agrees), the others valid.
 */
export const invalidParameters = Object.fromEntries(
  Object.entries(parameterSchemas).map(([id, params]) => {
    const facts = operationFacts[id as OperationId].parameters;
    // The others valid as a client sends them: a value only the service writes (x-opaque) left out.
    const base = parametersOf(params.filter((p) => !p.opaque));
    const broken = params.flatMap((p) => {
      const validate = facts.find((f) => f.key === p.key)?.validate as Parameters<typeof onlyBreaks>[0];
      return breaksOf(p.schema, '').map((bad) =>
        fc
          .tuple(base, bad)
          .map(
            ([valid, b]): InvalidParameters => ({
              params: { ...valid, [p.key]: b.value },
              breaks: { parameter: p.key, ...b.breaks },
            }),
          )
          .filter((s) => onlyBreaks(validate, { value: s.params[p.key], breaks: s.breaks })),
      );
    });
    return [id, fc.oneof(...broken)];
  }),
) as { [Id in OperationId]: fc.Arbitrary<InvalidParameters> };

/**
 * Bindings a fake can hold (`createBindingsFake({ bindings })`): valid ones, each with a sid (unique) and a
 * service (by default the contract's example one, so a list of it holds them all).
 */
export function storedBindings(
  options: { minLength?: number; maxLength?: number; chatServiceSid?: string } = {},
): fc.Arbitrary<Schemas['ServiceBinding'][]> {
  const sid = validOf({ ref: 'BindingSid' }) as fc.Arbitrary<string>;
  const service = options.chatServiceSid ?? parameterExamples.ChatServiceSid;
  const binding = fc
    .tuple(
      valid.ServiceBinding,
      sid,
      service ? fc.constant(service) : (validOf({ ref: 'ServiceSid' }) as fc.Arbitrary<string>),
    )
    .map(([b, s, c]) => ({ ...b, sid: s, chat_service_sid: c }));
  return fc.uniqueArray(binding, {
    selector: (b) => b.sid,
    minLength: options.minLength ?? 0,
    maxLength: options.maxLength ?? 10,
  });
}
