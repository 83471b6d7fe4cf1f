// npm run generate: the contract in openapi/ → every artifact in generated/.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { bundleSpec, type OpenApiDocument } from './bundle-spec.ts';
import { ContractModelError } from './contract-model.ts';
import { generateContract, generateResponseValidators } from './generate-contract.ts';
import { generateCoverageModel } from './generate-coverage-model.ts';
import { generateRegistry } from './generate-registry.ts';
import { generateSchemaRules } from './generate-schema-rules.ts';
import { generateParameterTypes, generateTypes } from './generate-types.ts';
import { generateValidators } from './generate-validators.ts';
import { generatedDir } from './paths.ts';

/** Writes every artifact of the contract (by default the one in openapi/) into `outDir`; the names written. */
export async function generate(outDir = generatedDir, from?: OpenApiDocument): Promise<string[]> {
  const spec = from ?? (await bundleSpec());
  // First: an operation the registry cannot place stops everything before a file is made.
  const registry = generateRegistry(spec);
  const validators = await generateValidators(spec);
  const contract = await generateContract(spec);
  const responseValidators = await generateResponseValidators(spec, validators['validators.js'] as string);
  const coverage = generateCoverageModel(spec);
  const rules = generateSchemaRules(spec);
  const files: Record<string, string> = {
    'openapi.json': `${JSON.stringify(spec, null, 2)}\n`,
    'schema.d.ts': await generateTypes(spec),
    ...validators,
    'contract.js': contract.js,
    'contract.d.ts': contract.dts,
    'response-validators.js': responseValidators.js,
    'response-validators.d.ts': responseValidators.dts,
    'parameters.d.ts': generateParameterTypes(spec),
    'coverage-model.js': coverage.js,
    'coverage-model.d.ts': coverage.dts,
    'schema-rules.js': rules.js,
    'schema-rules.d.ts': rules.dts,
    'registry.js': registry.js,
    'registry.d.ts': registry.dts,
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(outDir, name)), { recursive: true });
    await writeFile(join(outDir, name), text);
  }
  return Object.keys(files);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const written = await generate();
    console.log(`generated/: ${written.join(', ')}`);
  } catch (error) {
    // An operation the contract model cannot place is the contract's to fix: said in one line, no stack.
    if (!(error instanceof ContractModelError)) throw error;
    console.error(`npm run generate: ${error.message}; nothing was written`);
    process.exitCode = 1;
  }
}
