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
import { generatedBy } from './paths.ts';

type Node = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const refName = (ref: unknown) => (typeof ref === 'string' ? ref.split('/').pop() : undefined);

function follow(spec: OpenApiDocument, node: Node): Node {
  const name = refName(node.$ref);
  if (!name) return node;
  const [, , section = ''] = String(node.$ref).split('/');
  return follow(spec, spec.components[section]?.[name] as Node);
}

/** A property's facts for the recorder: nullable, its enum values, the component it holds (or each item of). */
interface PropertyFacts {
  nullable?: true;
  values?: string[];
  of?: string;
  each?: string;
}

/** The component a schema names, through `anyOf [X, null]`. */
const componentOf = (schema: Node): string | undefined =>
  refName(schema.$ref) ?? refName((schema.anyOf as Node[] | undefined)?.find((s) => s.$ref)?.$ref);

function propertiesOf(spec: OpenApiDocument, name: string): Record<string, PropertyFacts> {
  const schema = follow(spec, { $ref: `#/components/schemas/${name}` });
  return Object.fromEntries(
    Object.entries((schema.properties ?? {}) as Record<string, Node>).map(([property, raw]) => {
      const facts: PropertyFacts = {};
      const types = [raw.type].flat();
      const anyOf = (raw.anyOf as Node[] | undefined) ?? [];
      if (types.includes('null') || anyOf.some((s) => s.type === 'null')) facts.nullable = true;
      const of = componentOf(raw);
      const target = of ? follow(spec, { $ref: `#/components/schemas/${of}` }) : raw;
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
  for (const [path, item] of Object.entries(spec.paths))
    for (const method of METHODS.filter((m) => item[m])) {
      const op = item[method] as Node;
      const id = op.operationId as string;
      const responses: Record<string, { types: Record<string, string | null>; headers: string[] }> = {};
      /** A list's paging: the property holding its items, and the one holding `next_page_url`. */
      let paged: { items: string; meta: string } | null = null;
      for (const [status, ref] of Object.entries(op.responses as Record<string, Node>)) {
        const response = follow(spec, ref);
        add(statusItem(id, status), 'status', id);
        const types: Record<string, string | null> = {};
        for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Node>)) {
          add(mediaItem(id, status, type), 'media-type', id);
          const schema = refName((media.schema as Node).$ref) ?? null;
          types[type] = schema;
          if (status.startsWith('2') && schema) {
            roots.push(schema);
            const props = Object.entries(propertiesOf(spec, schema));
            const meta = props.find(([, p]) => p.of && 'next_page_url' in propertiesOf(spec, p.of))?.[0];
            const listed = props.find(([, p]) => p.each)?.[0];
            if (meta && listed) paged = { items: listed, meta };
          }
        }
        const headers = Object.keys((response.headers ?? {}) as Node);
        for (const header of headers) add(headerItem(id, status, header), 'header', id);
        responses[status] = { types, headers };
      }
      const parameters = [...((item.parameters as Node[]) ?? []), ...((op.parameters as Node[]) ?? [])].map(
        (ref) => {
          const p = follow(spec, ref);
          const schema = follow(spec, p.schema as Node);
          const items = schema.items ? follow(spec, schema.items as Node) : undefined;
          const values = ((items ?? schema).enum as string[] | undefined)?.map(String);
          const bounds = [schema.minimum, schema.maximum].filter((b): b is number => typeof b === 'number');
          const name = p.name as string;
          if (p.required !== true) {
            add(parameterItem(id, name, true), 'parameter', id);
            add(parameterItem(id, name, false), 'parameter', id);
          }
          for (const value of [...(values ?? []), ...bounds])
            add(parameterValueItem(id, name, value), 'parameter-value', id);
          return { name, in: p.in as string, ...(values && { values }), ...(bounds.length && { bounds }) };
        },
      );
      if (paged) for (const outcome of PAGING) add(pagingItem(id, outcome), 'paging', id);
      operations[id] = { method: method.toUpperCase(), path, responses, parameters, paged };
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
