// Generates generated/coverage-model.js: every outcome the contract documents that a test or a check can
// exercise, as coverage items (each status, media type and header of each response; each optional
// parameter given and omitted, each enum value and bound of a parameter; each property of a success
// body present and, where nullable, null; each enum value a response may carry; a list's paging
// outcomes), and what the recorder needs to name what it sees. A contract change regenerates them.

import {
  type CoverageItem,
  headerItem,
  mediaItem,
  PAGING,
  pagingItem,
  parameterItem,
  parameterValueItem,
  propertyItem,
  responseValueItem,
  statusItem,
} from '../src/testing/coverage-items.ts';
import type { OpenApiDocument } from './bundle-spec.ts';
import { componentName, type Node, operationsOf, resolveNode, resolveRef } from './contract-model.ts';
import { generatedBy } from './paths.ts';

const schemaOf = (spec: OpenApiDocument, name: string) => resolveRef(spec, `#/components/schemas/${name}`);

/** A property's facts for the recorder: nullable, its enum values, the component it holds (or each item of). */
interface PropertyFacts {
  nullable?: true;
  values?: string[];
  of?: string;
  each?: string;
}

/** The component a schema names, through `anyOf [X, null]`. */
const componentOf = (schema: Node): string | undefined =>
  componentName(schema) ??
  componentName((schema.anyOf as Node[] | undefined)?.find((s) => s.$ref)) ??
  undefined;

function propertiesOf(spec: OpenApiDocument, name: string): Record<string, PropertyFacts> {
  const schema = schemaOf(spec, name);
  return Object.fromEntries(
    Object.entries((schema.properties ?? {}) as Record<string, Node>).map(([property, raw]) => {
      const facts: PropertyFacts = {};
      const types = [raw.type].flat();
      const anyOf = (raw.anyOf as Node[] | undefined) ?? [];
      if (types.includes('null') || anyOf.some((s) => s.type === 'null')) facts.nullable = true;
      const of = componentOf(raw);
      const target = of ? schemaOf(spec, of) : raw;
      if (Array.isArray(target.enum)) facts.values = target.enum.map(String);
      else if (of && target.type === 'object') facts.of = of;
      const items = raw.items as Node | undefined;
      if (items && componentOf(items)) facts.each = componentOf(items);
      return [property, facts];
    }),
  );
}

/** The components a success body reaches, each once, from the body's own. */
function reachable(spec: OpenApiDocument, roots: string[]): Record<string, Record<string, PropertyFacts>> {
  const schemas: Record<string, Record<string, PropertyFacts>> = {};
  const visit = (name: string) => {
    if (schemas[name]) return;
    schemas[name] = propertiesOf(spec, name);
    for (const facts of Object.values(schemas[name]))
      for (const next of [facts.of, facts.each]) if (next) visit(next);
  };
  roots.forEach(visit);
  return schemas;
}

export function coverageModel(spec: OpenApiDocument) {
  const items: CoverageItem[] = [];
  const add = (id: string, dimension: CoverageItem['dimension'], scope: string) =>
    items.push({ id, dimension, scope });
  const operations: Record<string, unknown> = {};
  const roots: string[] = [];
  for (const op of operationsOf(spec)) {
    const id = op.id;
    const responses: Record<string, { types: Record<string, string | null>; headers: string[] }> = {};
    /** A list's paging: the property holding its items, and the one holding `next_page_url`. */
    let paged: { items: string; meta: string } | null = null;
    for (const response of op.responses) {
      const { status } = response;
      add(statusItem(id, status), 'status', id);
      const types: Record<string, string | null> = {};
      for (const { type, schema } of response.content) {
        add(mediaItem(id, status, type), 'media-type', id);
        types[type] = schema;
        if (status.startsWith('2') && schema) {
          roots.push(schema);
          const props = Object.entries(propertiesOf(spec, schema));
          const meta = props.find(([, p]) => p.of && 'next_page_url' in propertiesOf(spec, p.of))?.[0];
          const listed = props.find(([, p]) => p.each)?.[0];
          if (meta && listed) paged = { items: listed, meta };
        }
      }
      for (const header of response.headers) add(headerItem(id, status, header), 'header', id);
      responses[status] = { types, headers: response.headers };
    }
    const parameters = op.parameters.map((p) => {
      const items = p.schema.items ? resolveNode(spec, p.schema.items as Node) : undefined;
      const values = ((items ?? p.schema).enum as string[] | undefined)?.map(String);
      const bounds = [p.schema.minimum, p.schema.maximum].filter((b): b is number => typeof b === 'number');
      if (!p.required) {
        add(parameterItem(id, p.name, true), 'parameter', id);
        add(parameterItem(id, p.name, false), 'parameter', id);
      }
      for (const value of [...(values ?? []), ...bounds])
        add(parameterValueItem(id, p.name, value), 'parameter-value', id);
      return { name: p.name, in: p.in, ...(values && { values }), ...(bounds.length && { bounds }) };
    });
    if (paged) for (const outcome of PAGING) add(pagingItem(id, outcome), 'paging', id);
    operations[id] = { method: op.method, path: op.path, responses, parameters, paged };
  }
  const schemas = reachable(spec, roots);
  for (const [schema, properties] of Object.entries(schemas))
    for (const [property, facts] of Object.entries(properties)) {
      add(propertyItem(schema, property, 'present'), 'property', schema);
      if (facts.nullable) add(propertyItem(schema, property, 'null'), 'property', schema);
      for (const value of facts.values ?? [])
        add(responseValueItem(schema, property, value), 'response-value', schema);
    }
  const info = spec.info as { title: string; version: string };
  return { contract: { title: info.title, version: info.version }, items, operations, schemas };
}

export function generateCoverageModel(spec: OpenApiDocument): { js: string; dts: string } {
  const model = coverageModel(spec);
  const header = `// ${generatedBy('scripts/generate-coverage-model.ts')}\n`;
  const js = `${header}\n/** Every documented outcome of the contract, and what the recorder needs to name what it sees. */\nexport const coverageModel = ${JSON.stringify(model, null, 2)};\n`;
  const dts = `${header}\nimport type { CoverageModel } from '../src/testing/coverage-model-type.js';\n\nexport declare const coverageModel: CoverageModel;\n`;
  return { js, dts };
}
