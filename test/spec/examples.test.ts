// Spec tests: every example in the bundled contract validates against its schema with an
// independent JSON Schema validator (Ajv, full formats), and the 200 example is SEED.md's.
import { existsSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { bindingExample, spec } from '../support/contract.ts';

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
    for (const [name, ex] of Object.entries(here.examples as Record<string, { value: unknown }>)) {
      into.push([`${pointer}/examples/${name}`, { schemaPointer, value: ex.value }]);
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

describe('examples in the bundled contract', () => {
  it('include the 200, 401, 404, 429 and default examples, parameters and SID schemas', () => {
    const where = cases.map(([w]) => w).join('\n');
    for (const status of ['200', '401', '404', '429', 'default']) {
      expect(where).toMatch(new RegExp(`/responses/(${status}|\\w+)/`));
    }
    expect(cases.length).toBeGreaterThanOrEqual(12);
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

describe('the 200 example', () => {
  const seedPath = new URL('../../../shared/SEED.md', import.meta.url);

  it("is SEED.md's example, value for value", () => {
    expect(existsSync(seedPath), 'SEED.md, the published reference, belongs at ../shared/SEED.md').toBe(true);
    const seed = readFileSync(seedPath, 'utf8');
    const start = seed.indexOf('{', seed.indexOf('Response examples (200)'));
    const end = seed.indexOf('```', start);
    const seedExample = JSON.parse(seed.slice(start, end));
    expect(bindingExample).toStrictEqual(seedExample);
    expect(Object.keys(bindingExample)).toEqual(Object.keys(seedExample));
  });
});
