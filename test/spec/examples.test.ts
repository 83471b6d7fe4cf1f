// Spec tests: every documented response has an example, and every example in the bundled contract
// validates against its schema with an independent JSON Schema validator (Ajv, full formats).
// (That the 200 example is the published one is test/golden/published-reference.test.ts's job.)
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { responseExamples, responses } from '../../generated/contract.js';
import { validateServiceBinding } from '../../generated/validators.js';
import { spec } from '../support/contract.ts';

const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addSchema(spec, 'contract');

type Schema = Record<string, unknown>;
type Case = [where: string, { schemaPointer: string; value: unknown }];

/** Every example in the document with the schema it illustrates, as a JSON pointer. */
function collectExamples(node: unknown, pointer: string, into: Case[] = []): Case[] {
  if (node === null || typeof node !== 'object') return into;
  const here = node as Record<string, unknown>;
  const schemaRef = (here.schema as Schema | undefined)?.$ref as string | undefined;
  const schemaPointer = schemaRef ?? (here.schema ? `#${pointer}/schema` : undefined);
  if (schemaPointer && 'example' in here)
    into.push([`${pointer}/example`, { schemaPointer, value: here.example }]);
  if (schemaPointer && here.examples && typeof here.examples === 'object') {
    for (const [name, ex] of Object.entries(
      here.examples as Record<string, { value?: unknown; $ref?: string }>,
    )) {
      // A shared example (components/examples) is referenced: its value is where the $ref points.
      const value = ex.$ref ? (resolvePointer(ex.$ref) as { value?: unknown }).value : ex.value;
      into.push([`${pointer}/examples/${name}`, { schemaPointer, value }]);
    }
  }
  // Schema-level `examples` arrays (JSON Schema 2020-12) illustrate the schema they sit in.
  if (pointer.startsWith('/components/schemas/') && Array.isArray(here.examples)) {
    here.examples.forEach((value, i) => {
      into.push([`${pointer}/examples/${i}`, { schemaPointer: `#${pointer}`, value }]);
    });
  }
  for (const [key, child] of Object.entries(here)) collectExamples(child, `${pointer}/${key}`, into);
  return into;
}

function resolvePointer(pointer: string): Schema {
  return pointer
    .slice(2)
    .split('/')
    .reduce((node: Record<string, unknown>, part) => node[part] as Record<string, unknown>, spec) as Schema;
}

/** Properties an example has that its (object) schema does not name: a typo the contract would hide. */
function undeclaredProperties(schema: Schema, value: unknown): string[] {
  const props = schema.properties as Record<string, unknown> | undefined;
  if (!props || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value).filter((key) => !(key in props));
}

const cases = collectExamples(spec, '');

/** Every (operation, status, media type) the contract documents a body for. */
const documentedBodies = Object.entries(responses).flatMap(([operation, byStatus]) =>
  Object.entries(byStatus as Record<string, { content: Record<string, unknown> }>).flatMap(([status, r]) =>
    Object.keys(r.content).map(
      (type) => [`${operation} ${status} ${type}`, { operation, status, type }] as const,
    ),
  ),
);

describe('examples in the bundled contract', () => {
  it.each(documentedBodies)('%s has at least one example', (_name, { operation, status, type }) => {
    const byStatus = responseExamples[operation as keyof typeof responseExamples] as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    expect(
      Object.keys(byStatus[status]?.[type] ?? {}),
      `no example for ${operation} ${status} ${type}`,
    ).not.toEqual([]);
  });

  it('are each collected, with the schema each illustrates', () => {
    const collected = new Set(cases.map(([, { value }]) => JSON.stringify(value)));
    for (const byStatus of Object.values(responseExamples))
      for (const byType of Object.values(byStatus as Record<string, Record<string, Record<string, unknown>>>))
        for (const examples of Object.values(byType))
          for (const value of Object.values(examples)) expect(collected).toContain(JSON.stringify(value));
  });

  it.each(cases)(
    '%s validates against its schema, with no undeclared property',
    (_where, { schemaPointer, value }) => {
      const validate = ajv.getSchema(`contract${schemaPointer}`);
      expect(validate, `no schema at ${schemaPointer}`).toBeTypeOf('function');
      const valid = validate?.(value);
      expect(validate?.errors ?? [], JSON.stringify(value)).toEqual([]);
      expect(valid).toBe(true);
      expect(undeclaredProperties(resolvePointer(schemaPointer), value)).toEqual([]);
    },
  );
});

describe("the contract's examples agree with each other", () => {
  /** Every binding an example shows (a fetched one, or one inside a list page), with where it is shown. */
  const shown: [where: string, binding: { sid: string }][] = [];
  const visit = (where: string, value: unknown) => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(`${where}/${i}`, v);
    } else if (value && typeof value === 'object') {
      // The schema requires no field: a binding is an object with a SID that the schema accepts.
      if ('sid' in value && typeof value.sid === 'string' && validateServiceBinding(value))
        shown.push([where, value as { sid: string }]);
      else for (const [key, v] of Object.entries(value)) visit(`${where}/${key}`, v);
    }
  };
  for (const [where, { value }] of cases) visit(where, value);

  it('show some binding in more than one place (else there is nothing to agree on)', () => {
    const sids = shown.map(([, b]) => b.sid);
    expect(
      new Set(sids).size,
      `no binding is shown twice (${sids.join(', ')}): if that is the contract's intent, remove these tests`,
    ).toBeLessThan(shown.length);
  });

  // The stateful fake holds the examples' bindings: one binding shown two ways could not answer both.
  it('show a binding the same wherever they show it (same SID, same fields)', () => {
    const first = new Map<string, [string, unknown]>();
    for (const [where, binding] of shown) {
      const seen = first.get(binding.sid);
      if (!seen) first.set(binding.sid, [where, binding]);
      else
        expect(binding, `${where} shows ${binding.sid} unlike ${seen[0]}: edit the binding in both`).toEqual(
          seen[1],
        );
    }
  });
});
