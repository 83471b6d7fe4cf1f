// Generates generated/schema-rules.js: each component schema and each operation's parameters as rules
// only (types, enums, bounds, patterns, formats, items, properties, required; `$ref`s as component names;
// words left out), for the arbitraries of conversations-bindings-contract/testing/arbitraries to be built
// from. A pattern every match of which has one length is marked with it, so an invalid value can break
// the pattern alone (a length bound it fixes cannot be broken alone, and is not offered).
import type { OpenApiDocument } from './bundle-spec.ts';
import { type Node, operationsOf } from './contract-model.ts';
import { generatedBy } from './paths.ts';
import { fixedAsciiLength } from './validators/pattern-prover.ts';

type Rule = Record<string, unknown>;

const RULES = [
  'type',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'format',
  'required',
];

/** A schema as rules: `$ref` → `{ ref: name }`, nested schemas likewise, annotations dropped. */
function rulesOf(node: Node): Rule {
  if (typeof node.$ref === 'string') return { ref: node.$ref.split('/').pop() };
  const rule: Rule = {};
  for (const key of RULES) if (node[key] !== undefined) rule[key] = node[key];
  if (typeof node.pattern === 'string') {
    const fixed = fixedAsciiLength(node.pattern);
    if (fixed !== undefined) rule.patternLength = fixed;
  }
  if (node.items) rule.items = rulesOf(node.items as Node);
  if (Array.isArray(node.anyOf)) rule.anyOf = (node.anyOf as Node[]).map(rulesOf);
  if (node.properties)
    rule.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, Node>).map(([name, s]) => [name, rulesOf(s)]),
    );
  return rule;
}

export function schemaRules(spec: OpenApiDocument) {
  const schemas = Object.fromEntries(
    Object.entries(spec.components.schemas as Record<string, Node>).map(([name, s]) => [name, rulesOf(s)]),
  );
  const parameters = Object.fromEntries(
    operationsOf(spec).map((op) => [
      op.id,
      op.parameters.map((p) => ({
        name: p.name,
        key: p.key,
        in: p.in,
        required: p.required,
        ...(p.node['x-opaque'] === true && { opaque: true }),
        schema: rulesOf(p.node.schema as Node),
      })),
    ]),
  );
  return { schemas, parameters };
}

export function generateSchemaRules(spec: OpenApiDocument): { js: string; dts: string } {
  const { schemas, parameters } = schemaRules(spec);
  const header = `// ${generatedBy('scripts/generate-schema-rules.ts')}\n`;
  const js = `${header}\n/** Each component schema, as rules. */\nexport const schemaRules = ${JSON.stringify(schemas, null, 2)};\n\n/** Each operation's parameters, with their schemas as rules. */\nexport const parameterSchemas = ${JSON.stringify(parameters, null, 2)};\n`;
  const dts = `${header}\nimport type { ParameterSchema, SchemaRule } from '../src/testing/schema-rule.js';\n\nexport declare const schemaRules: Record<${Object.keys(
    schemas,
  )
    .map((n) => JSON.stringify(n))
    .join(' | ')}, SchemaRule>;\n\nexport declare const parameterSchemas: Record<${Object.keys(parameters)
    .sort()
    .map((n) => JSON.stringify(n))
    .join(' | ')}, readonly ParameterSchema[]>;\n`;
  return { js, dts };
}
