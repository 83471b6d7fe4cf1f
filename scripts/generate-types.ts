// Generates generated/schema.d.ts (paths, components, operations) from the bundled contract.
import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenApiDocument } from './bundle-spec.ts';
import { generatedBy } from './paths.ts';

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
