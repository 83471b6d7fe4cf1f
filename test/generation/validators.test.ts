// The generated validators against Ajv, the reference JSON Schema implementation: for every schema
// the contract validates, on generated values (the contract's examples mutated, and arbitrary JSON),
// both give the same verdict and the same errors (keyword, path, params and words).
import { isDeepStrictEqual } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as validators from '../../generated/validators.js';
import { dateTime, int64, uri } from '../../src/client/validator-runtime.ts';
import { spec } from '../support/contract.ts';

// Ajv with the same format functions (the formats are proven against ajv-formats in formats.test.ts),
// reading own members only and taking NaN and ±Infinity for no numbers, as the compiler does.
const ajv = new Ajv2020.default({
  allErrors: true,
  strict: false,
  strictNumbers: true,
  ownProperties: true,
  formats: { 'date-time': dateTime, uri, int64: { type: 'number', validate: int64 } },
});
ajv.addSchema(spec, 'contract');

type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };
const targets = Object.entries(validators as unknown as Record<string, Validator>)
  .filter(([name]) => name.startsWith('validate'))
  .map(([name, validate]) => {
    const component = name.replace(/^validate/, '');
    const pointer = component.endsWith('Parameter')
      ? `#/components/parameters/${component.slice(0, -'Parameter'.length)}/schema`
      : `#/components/schemas/${component}`;
    return { name, validate, pointer };
  });

/** Every example the contract gives anywhere: the seeds the mutations start from. */
function examples(node: unknown, into: unknown[] = []): unknown[] {
  if (node === null || typeof node !== 'object') return into;
  const here = node as Record<string, unknown>;
  if ('value' in here && 'summary' in here) into.push(here.value);
  if (Array.isArray(here.examples)) into.push(...here.examples);
  if ('example' in here) into.push(here.example);
  for (const child of Object.values(here)) examples(child, into);
  return into;
}
const seeds = examples(spec);

const tricky = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1, 1.5, 101, Number.MAX_SAFE_INTEGER + 2, '', [], {}),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...seeds.filter((s) => typeof s === 'string')),
  fc.constantFrom(...seeds.filter((s) => typeof s === 'string')).map((s) => (s as string).slice(1)),
  fc.constantFrom(...seeds.filter((s) => typeof s === 'string')).map((s) => `${s}😀`),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A value with one place replaced by a tricky one, or deleted: deep inside arrays and objects too. */
function mutate(value: unknown, path: number[], replacement: unknown, remove: boolean): unknown {
  if (value === null || typeof value !== 'object' || !path.length) return replacement;
  const keys = Object.keys(value);
  if (!keys.length) return replacement;
  const [first = 0, ...rest] = path;
  const key = keys[first % keys.length] as string;
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
  if (remove && !rest.length && !Array.isArray(value)) delete copy[key];
  else copy[key] = mutate(copy[key], rest, replacement, remove);
  return copy;
}
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.nat(), { maxLength: 4 }), tricky, fc.boolean())
  .map(([seed, path, replacement, remove]) => mutate(structuredClone(seed), path, replacement, remove));

/** Ajv's errors in this package's shape (it has no use for schemaPath). */
const shaped = (errors: unknown[] | null | undefined) =>
  (errors ?? []).map((error) => {
    const { instancePath, keyword, params, message } = error as Record<string, unknown>;
    return { instancePath, keyword, params, message };
  });

describe('the generated validators agree with Ajv', () => {
  it('cover every component schema and inline parameter schema', () => {
    expect(targets.length).toBe(
      Object.keys(spec.components.schemas).length +
        Object.values(spec.components.parameters).filter(
          (p) => !(p as { schema: { $ref?: string } }).schema.$ref,
        ).length,
    );
  });

  it.each(targets)(
    '$name: same verdict and errors on mutated examples and arbitrary values',
    ({ validate, pointer }) => {
      const reference = ajv.getSchema(`contract${pointer}`);
      if (!reference) throw new Error(`Ajv has no schema at ${pointer}`);
      fc.assert(
        fc.property(
          fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: tricky }),
          (value) => {
            const valid = validate(value);
            const same = valid === reference(value);
            const errors = validate.errors ?? [];
            const expected = shaped(reference.errors);
            // expect() only where a cheap comparison finds a difference (it judges then, and says what
            // differs): its bookkeeping, twice a case for thousands of cases, was much of this test's time.
            if (same && isDeepStrictEqual(errors, expected)) return;
            expect(valid).toBe(reference(value));
            expect(errors).toEqual(expected);
          },
        ),
        { numRuns: 400 },
      );
    },
  );
});
