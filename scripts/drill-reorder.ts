// The contract drill's reordering: the contract's paths in reverse order must change no generated fact,
// only the order facts are listed in (every fact is keyed by operation and component, never by its place
// in the file). Compares what `generate` makes from the contract and from its reversal, order aside.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleSpec, type OpenApiDocument } from './bundle-spec.ts';
import { generate } from './generate.ts';

/** A value with every array's items and every object's keys in one order: what is left is the facts. */
function orderless(value: unknown): unknown {
  if (Array.isArray(value))
    return value
      .map(orderless)
      .map((v) => [JSON.stringify(v), v] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, orderless((value as Record<string, unknown>)[k])]),
  );
}

/** What a generated file says, order aside: a module's exports, a document, or (types) its lines as a set. */
async function factsOf(dir: string, file: string): Promise<string> {
  if (file.endsWith('.json'))
    return JSON.stringify(orderless(JSON.parse(await readFile(join(dir, file), 'utf8'))));
  if (file.endsWith('.js')) {
    const exports = await import(pathToFileURL(join(dir, file)).href);
    // Validators are functions: their source is their fact.
    const plain = JSON.parse(
      JSON.stringify(exports, (_k, v) => (typeof v === 'function' ? `function ${String(v).length}` : v)),
    );
    return JSON.stringify(orderless(plain));
  }
  return JSON.stringify(orderless((await readFile(join(dir, file), 'utf8')).split('\n')));
}

/** The generated files whose facts differ between the contract and its paths reversed; empty when none. */
export async function reorderDrill(): Promise<{ ok: boolean; lines: string[] }> {
  const spec = await bundleSpec();
  const reversed: OpenApiDocument = {
    ...spec,
    paths: Object.fromEntries(Object.entries(spec.paths).reverse()),
  };
  const scratch = await mkdtemp(join(tmpdir(), 'contract-drill-reorder-'));
  try {
    const [asIs, turned] = [join(scratch, 'as-is'), join(scratch, 'reversed')];
    await generate(asIs, spec);
    await generate(turned, reversed);
    const files = (await readdir(asIs)).sort();
    const differ: string[] = [];
    for (const file of files)
      if ((await factsOf(asIs, file)) !== (await factsOf(turned, file))) differ.push(file);
    const lines = differ.length
      ? differ.map((f) => `✗ reversing the contract's paths changed a fact of generated/${f}`)
      : [
          `✓ reversing the contract's paths changed no fact of generated/ (${files.length} files), only order`,
        ];
    return { ok: !differ.length, lines };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
