// Generates generated/registry.js: each operation of the contract placed on its resource (list, fetch,
// delete), with its client method's name, its SID and parent parameters, its success and, for a list, its
// key, filters and paging; and each resource with its operations. Typed by the values themselves, so code
// that reads it knows each operation id, action and method name.
import type { OpenApiDocument } from './bundle-spec.ts';
import { registryOf } from './contract-registry.ts';
import { generatedBy } from './paths.ts';

/** A JSON value as the TypeScript type of exactly that value, read-only all the way down. */
export function literalType(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return value.length
      ? `readonly [\n${value.map((v) => `${inner}${literalType(v, inner)},`).join('\n')}\n${indent}]`
      : 'readonly []';
  const entries = Object.entries(value);
  if (!entries.length) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}readonly ${JSON.stringify(k)}: ${literalType(v, inner)};`).join('\n')}\n${indent}}`;
}

export function generateRegistry(spec: OpenApiDocument): { js: string; dts: string } {
  const registry = registryOf(spec);
  const operations = Object.fromEntries(
    registry.operations.map(({ success: { node: _node, ...success }, ...op }) => [op.id, { ...op, success }]),
  );
  const resources = Object.fromEntries(registry.resources.map((r) => [r.schema, r]));
  const header = `// ${generatedBy('scripts/generate-registry.ts')}\n`;
  const doc = {
    operations:
      '/** Each operation of the contract, by operationId: what it does to which resource (scripts/contract-registry.ts). */',
    resources:
      '/** Each resource of the contract, by its component schema, with the operation of each action. */',
  };
  const js = `${header}\n${doc.operations}\nexport const operationRegistry = ${JSON.stringify(operations, null, 2)};\n\n${doc.resources}\nexport const resourceRegistry = ${JSON.stringify(resources, null, 2)};\n`;
  const dts = `${header}\n${doc.operations}\nexport declare const operationRegistry: ${literalType(operations)};\n\n${doc.resources}\nexport declare const resourceRegistry: ${literalType(resources)};\n`;
  return { js, dts };
}
