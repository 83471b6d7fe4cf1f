// Generates generated/schema.d.ts (paths, components, operations) from the bundled contract, and
// generated/parameters.d.ts: each operation's parameters as a named interface, by the registry's naming rule.
import { createRequire } from 'node:module';
import type { OpenApiDocument } from './bundle-spec.ts';
import { operationsOf } from './contract-model.ts';
import { type RegisteredOperation, registryOf } from './contract-registry.ts';
import { generatedBy } from './paths.ts';

// openapi-typescript's CommonJS build, required: through Node 20's ESM loader, the 9 MB typescript.js it
// loads is parsed twice more (to detect its module format, and to lex its exports), which doubled the load.
const { default: openapiTS, astToString } = createRequire(import.meta.url)(
  'openapi-typescript',
) as typeof import('openapi-typescript');

export async function generateTypes(spec: OpenApiDocument): Promise<string> {
  const ast = await openapiTS(structuredClone(spec) as unknown as Parameters<typeof openapiTS>[0], {
    // The truest types: a field is optional unless the spec requires it (nothing is required here),
    // nullable only where the spec says so, and an enum stays a union of string literals.
    defaultNonNullable: false,
    propertiesRequiredByDefault: false,
    enum: false,
    exportType: false,
    silent: true,
  });
  return `// ${generatedBy('scripts/generate-types.ts (openapi-typescript)')}\n\n${astToString(ast)}`;
}

/** The name of an operation's parameters interface: its client method's, capitalised (`FetchBindingParams`). */
export const parametersTypeName = (op: Pick<RegisteredOperation, 'methodName'>): string =>
  `${op.methodName.replace(/^./, (c) => c.toUpperCase())}Params`;

/**
 * generated/parameters.d.ts: each operation's path and query parameters as a named interface, camel-cased,
 * each member typed by openapi-typescript's own type for it (so an error or a hover names the interface,
 * not its expansion), an array as a readonly one (the client only reads it: a readonly array or an
 * `as const` tuple will do); and `OperationParameters`, each interface by operationId, which the client's
 * methods are typed by.
 */
export function generateParameterTypes(spec: OpenApiDocument): string {
  const walked = new Map(operationsOf(spec).map((op) => [op.id, op]));
  const { operations } = registryOf(spec);
  const blocks = operations.map((entry) => {
    const parameters = walked.get(entry.id)?.parameters ?? [];
    const members = parameters.map((p) => {
      const where = `operations[${JSON.stringify(entry.id)}]['parameters'][${JSON.stringify(p.in)}]`;
      const own = `NonNullable<${where}>[${JSON.stringify(p.name)}]`;
      const type = p.schema.type === 'array' ? `readonly NonNullable<${own}>[number][]` : own;
      const optional = p.required ? '' : '?';
      return `  ${p.key}${optional}: ${type}${optional ? ' | undefined' : ''};`;
    });
    const names = parameters.map((p) => `${p.in} ${p.name}`).join(', ');
    const methods = [entry.methodName, entry.pageMethodName].filter(Boolean).join(' and ');
    return [
      `/** ${entry.id}'s parameters, camel-cased (${names || 'none'}): what ${methods} take${entry.pageMethodName ? '' : 's'}. */`,
      `export interface ${parametersTypeName(entry)} {`,
      ...members,
      '}',
    ].join('\n');
  });
  const map = [
    "/** Each operation's parameters interface, by operationId. */",
    'export interface OperationParameters {',
    ...operations.map((entry) => `  ${JSON.stringify(entry.id)}: ${parametersTypeName(entry)};`),
    '}',
  ].join('\n');
  return [
    `// ${generatedBy('scripts/generate-types.ts')}`,
    '',
    "import type { operations } from './schema.js';",
    '',
    [...blocks, map].join('\n\n'),
    '',
  ].join('\n');
}
