// The arbitraries of conversations-bindings-contract/testing/arbitraries, proven by the contract's own
// validators: every valid sample passes, every invalid one fails on the one rule it was made to break
// (shrunk too); valid ones reach the contract's corners. Then they drive the repo's own property tests: a
// round trip of any storable binding through the fake and the client, and a model-based test of the fake.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import * as validators from '../../generated/validators.js';
import { type Binding, bindingTypes, createBindingsClient } from '../../src/client/index.ts';
import {
  invalid,
  invalidParameters,
  LONG_STRING_SHARE,
  MAX_ARRAY_LENGTH,
  MAX_STRING_LENGTH,
  storedBindings,
  valid,
  validParameters,
} from '../../src/testing/arbitraries.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import { spec } from '../support/contract.ts';

type Check = ((v: unknown) => boolean) & {
  errors?: { instancePath: string; keyword: string; params: { type?: unknown } }[] | null;
};
const validatorOf = (name: string) =>
  (validators as unknown as Record<string, Check>)[`validate${name}`] as Check;
/** The validator's errors, less the folding of `anyOf [X, null]` (its `anyOf` and `type: null` entries). */
const complaints = (check: Check) =>
  (check.errors ?? []).filter(
    (e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null'),
  );
const schemaNames = Object.keys(spec.components.schemas);
const runs = { numRuns: 150, seed: 20261201 };

describe('valid samples pass the contract’s validators', () => {
  it.each(schemaNames)('%s', (name) => {
    fc.assert(
      fc.property(valid[name as keyof typeof valid] as fc.Arbitrary<unknown>, (value) =>
        validatorOf(name)(value),
      ),
      runs,
    );
  });

  it.each(Object.keys(operationFacts))('%s parameters', (id) => {
    const facts = operationFacts[id as keyof typeof operationFacts].parameters;
    fc.assert(
      fc.property(
        validParameters[id as keyof typeof validParameters] as fc.Arbitrary<Record<string, unknown>>,
        (params) =>
          facts.every((p) => (params[p.key] === undefined ? !p.required : p.validate(params[p.key]))),
      ),
      runs,
    );
  });
});

describe('invalid samples each break exactly one rule, and the validator says which', () => {
  it.each(schemaNames)('%s', (name) => {
    fc.assert(
      fc.property(invalid[name as keyof typeof invalid], ({ value, breaks }) => {
        const check = validatorOf(name);
        expect(check(value)).toBe(false);
        expect(complaints(check).map((e) => [e.instancePath, e.keyword])).toEqual(
          complaints(check).map(() => [breaks.path, breaks.keyword]),
        );
      }),
      runs,
    );
  });

  it.each(Object.keys(operationFacts))('%s parameters: one parameter, one rule', (id) => {
    const facts = operationFacts[id as keyof typeof operationFacts].parameters;
    fc.assert(
      fc.property(invalidParameters[id as keyof typeof invalidParameters], ({ params, breaks }) => {
        for (const p of facts)
          if (p.key !== breaks.parameter && params[p.key] !== undefined)
            expect(p.validate(params[p.key])).toBe(true);
        const broken = facts.find((p) => p.key === breaks.parameter);
        expect(broken?.validate(params[breaks.parameter])).toBe(false);
      }),
      runs,
    );
  });

  it('a shrunk invalid sample still breaks the rule it was made to break', () => {
    // A property that fails on every sample: fast-check shrinks it as far as it can.
    const result = fc.check(
      fc.property(invalid.ServiceBinding, () => false),
      { seed: 7 },
    );
    const [shrunk] = (result.counterexample ?? []) as [
      { value: unknown; breaks: { path: string; keyword: string } },
    ];
    const check = validatorOf('ServiceBinding');
    expect(check(shrunk.value)).toBe(false);
    expect(
      complaints(check).every(
        (e) => e.instancePath === shrunk.breaks.path && e.keyword === shrunk.breaks.keyword,
      ),
    ).toBe(true);
  });
});

describe('valid samples reach the corners the contract allows', () => {
  const bindings = fc.sample(valid.ServiceBinding, { numRuns: 2000, seed: 11 }) as Binding[];
  const seen = (test: (b: Binding) => boolean) => bindings.some(test);

  it('each null, and each enum value', () => {
    const nullable = Object.entries(
      spec.components.schemas.ServiceBinding.properties as Record<
        string,
        { type?: unknown; anyOf?: { type?: string }[] }
      >,
    )
      .filter(([, p]) => [p.type].flat().includes('null') || p.anyOf?.some((s) => s.type === 'null'))
      .map(([name]) => name);
    for (const field of nullable)
      expect(
        seen((b) => (b as Record<string, unknown>)[field] === null),
        field,
      ).toBe(true);
    for (const type of bindingTypes)
      expect(
        seen((b) => b.binding_type === type),
        type,
      ).toBe(true);
  });

  it('date-times with offsets, fractions and a leap second; arrays empty and maximal', () => {
    const times = bindings.map((b) => b.date_created).filter((t): t is string => typeof t === 'string');
    expect(times.some((t) => /[+-]\d\d:\d\d$/.test(t))).toBe(true);
    expect(times.some((t) => /\.\d+/.test(t))).toBe(true);
    expect(times.some((t) => /:60(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(t))).toBe(true);
    expect(seen((b) => Array.isArray(b.message_types) && b.message_types.length === 0)).toBe(true);
    expect(seen((b) => b.message_types?.length === MAX_ARRAY_LENGTH)).toBe(true);
  });

  it('both bounds of a bounded parameter', () => {
    const sizes = fc
      .sample(validParameters.ListServiceBinding, { numRuns: 500, seed: 12 })
      .map((p) => p.pageSize);
    const { minimum, maximum } = spec.components.parameters.PageSize.schema;
    expect(sizes).toContain(minimum);
    expect(sizes).toContain(maximum);
  });
});

describe('strings the contract does not bound reach long values', () => {
  // The binding's fields that are plain strings: no maxLength, pattern, format or enum in the contract.
  const unbounded = Object.entries(
    spec.components.schemas.ServiceBinding.properties as Record<string, Record<string, unknown>>,
  )
    .filter(([, p]) => [p.type].flat().includes('string'))
    .filter(([, p]) => !['maxLength', 'pattern', 'format', 'enum', '$ref'].some((k) => k in p))
    .map(([name]) => name);
  const length = (v: unknown) => (typeof v === 'string' ? [...v].length : 0);

  it('thousands of characters in a bounded share of values, never past MAX_STRING_LENGTH', () => {
    expect(unbounded.length).toBeGreaterThan(0);
    const values = fc
      .sample(valid.ServiceBinding, { numRuns: 1000, seed: 14 })
      .flatMap((b) => unbounded.map((field) => (b as Record<string, unknown>)[field]))
      .filter((v) => typeof v === 'string');
    const lengths = values.map(length);
    expect(Math.max(...lengths)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(MAX_STRING_LENGTH);
    // The long ones (past the 16 characters of a short one) are about 1 in LONG_STRING_SHARE.
    const long = lengths.filter((n) => n > 16).length / lengths.length;
    expect(long).toBeGreaterThan(0.5 / LONG_STRING_SHARE);
    expect(long).toBeLessThan(1.5 / LONG_STRING_SHARE);
  });

  it.each([1, 2, 3])('a failure of a length shrinks to the shortest length that fails (seed %i)', (seed) => {
    for (const field of unbounded) {
      const result = fc.check(
        fc.property(valid.ServiceBinding, (b) => length((b as Record<string, unknown>)[field]) < 50),
        { seed },
      );
      const [shrunk] = (result.counterexample ?? []) as [Record<string, unknown>];
      expect(result.failed, field).toBe(true);
      expect(length(shrunk[field]), field).toBe(50);
    }
  });
});

describe('the repo’s own property tests, on the arbitraries', () => {
  it('any bindings a fake can hold come back from the client as they went in', async () => {
    await fc.assert(
      fc.asyncProperty(storedBindings({ minLength: 1, maxLength: 4 }), async (bindings) => {
        const fake = createBindingsFake({ bindings });
        const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch, retry: false });
        for (const b of bindings)
          expect(
            await client.fetchBinding({ chatServiceSid: b.chat_service_sid as string, sid: b.sid as string }),
          ).toStrictEqual(b);
        const listed: Binding[] = [];
        for await (const b of client.listBindings({
          chatServiceSid: bindings[0]?.chat_service_sid as string,
        }))
          listed.push(b);
        expect(listed).toStrictEqual(bindings);
      }),
      { numRuns: 40, seed: 13 },
    );
  });
});
