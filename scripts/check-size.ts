// npm run size: the size budget. Bundles each public entry of dist/ as a consumer's bundler would
// (esbuild, browser, minified, code splitting) and fails when what a program loads at once, or what it
// loads on demand (openapi-fetch, on raw's first call), is over its gzip budget.
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

interface Budget {
  entry: string;
  /** What a consumer writes. */
  source: string;
  /** What a program loads when it imports the entry. */
  maxGzipBytes: number;
  /** What it may load later, when it first uses a part loaded on demand. */
  maxOnDemandGzipBytes: number;
  /** Peer dependencies the consumer brings: not counted. */
  external?: string[];
  /** Why the budget is what it is (docs/benchmarks.md shows it beside the figure). */
  why: string;
}

export const budgets: Budget[] = [
  {
    entry: '.',
    source: "export * from 'conversations-bindings-contract';",
    maxGzipBytes: 10 * 1024,
    maxOnDemandGzipBytes: 12 * 1024,
    why: "At once: a method per operation of the registry (its table about 0.2 KiB more than the bare names the methods read), the parameters' validators and the messages that quote what a caller gave (bounded, escaped, masked there and only there), every read of a hostile response guarded, redaction of every credential fragment. On demand, each on first use: what makes the answer (the success checked, the tolerant reader's verdict on the whole page, building violations, quoting the service's words, redacting error bodies) and the response validators (compiled to straight-line code, exact to JSON Schema and the RFCs of their formats), both loaded while the first request is on its way; the list walk (repeat detection bounded by bytes); `raw` (openapi-fetch and its glue). On demand grew from 8 KiB to 12 because what makes the answer moved there from at once (about 3.4 KiB), so that a program loads nothing it needs only once an answer came.",
  },
  {
    entry: './types',
    // Both a type-only import and a bare import of the entry must add no runtime code.
    source:
      "import type { Binding } from 'conversations-bindings-contract/types';\nimport 'conversations-bindings-contract/types';",
    maxGzipBytes: 0,
    maxOnDemandGzipBytes: 0,
    why: 'Types only: no runtime code at all.',
  },
  {
    entry: './testing',
    source: "export * from 'conversations-bindings-contract/testing';",
    maxGzipBytes: 22 * 1024,
    maxOnDemandGzipBytes: 0,
    why: "For tests only, never in a production bundle: the fake's stores, routing and answers for every operation of the contract's registry (the registry and each operation's parameter rules come with it), every answer validated against the contract, its own failures answered as the contract's errors, and the contract coverage model with its recorder (about 3 KiB). 16 KiB held the Binding's hand-written handlers; answering any operation of the contract costs the rest.",
  },
  {
    entry: './testing/arbitraries',
    source: "export * from 'conversations-bindings-contract/testing/arbitraries';",
    maxGzipBytes: 8 * 1024,
    maxOnDemandGzipBytes: 0,
    external: ['fast-check'],
    why: "For property tests only: the contract's rules as data and the arbitraries built from them (fast-check is the consumer's, not counted).",
  },
  {
    entry: './testing/msw',
    source: "export * from 'conversations-bindings-contract/testing/msw';",
    maxGzipBytes: 5 * 1024,
    maxOnDemandGzipBytes: 0,
    external: ['msw'],
    why: "The fake's answers as MSW handlers, with the base URLs matched literally (msw is the consumer's, not counted).",
  },
];

export interface Measured {
  entry: string;
  minifiedBytes: number;
  gzipBytes: number;
  maxGzipBytes: number;
  onDemandGzipBytes: number;
  maxOnDemandGzipBytes: number;
  ok: boolean;
}

const gzip = (code: string) => (code.trim() ? gzipSync(code, { level: 9 }).length : 0);

/** The output files loaded at once from the entry: it, and what it imports statically, transitively. */
function loadedAtOnce(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[file]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  return seen;
}

export interface BundleSize {
  /** Minified bytes loaded at once: the entry and what it imports statically, transitively. */
  minifiedBytes: number;
  gzipBytes: number;
  /** Gzipped bytes of the chunks loaded only by a dynamic import. */
  onDemandGzipBytes: number;
}

/**
 * One program bundled as a consumer's bundler would (esbuild, minified, ES modules split at dynamic
 * imports), measured as what loads at once and what loads on demand. The bench's bundle section uses it too.
 */
export async function bundleSize(
  source: string,
  {
    resolveDir,
    platform = 'browser',
    external = [],
  }: { resolveDir: string; platform?: 'browser' | 'node'; external?: string[] },
): Promise<BundleSize> {
  const out = await build({
    stdin: { contents: source, resolveDir, loader: 'ts', sourcefile: 'consumer.ts' },
    bundle: true,
    splitting: true,
    outdir: 'out',
    minify: true,
    format: 'esm',
    platform,
    write: false,
    metafile: true,
    logLevel: 'silent',
    external,
  });
  const entry = Object.keys(out.metafile.outputs).find((f) => out.metafile.outputs[f]?.entryPoint) as string;
  const atOnce = loadedAtOnce(out.metafile, entry);
  const files = out.outputFiles.map((f) => ({
    path: f.path.slice(f.path.lastIndexOf('out/')),
    text: f.text,
  }));
  // An empty bundle still gzips to a ~20-byte header: no code at all is 0 bytes.
  const eager = files.filter((f) => atOnce.has(f.path)).map((f) => f.text.trim());
  const onDemand = files.filter((f) => !atOnce.has(f.path)).map((f) => f.text);
  return {
    minifiedBytes: eager.reduce((sum, code) => sum + Buffer.byteLength(code), 0),
    gzipBytes: eager.reduce((sum, code) => sum + gzip(code), 0),
    onDemandGzipBytes: onDemand.reduce((sum, code) => sum + gzip(code), 0),
  };
}

/** Bundles each budget's source against the package in `packageDir` (default: this repo's dist/). */
export async function measure(packageDir = process.cwd()): Promise<Measured[]> {
  const results: Measured[] = [];
  for (const budget of budgets) {
    // The package resolves itself by name through its exports map, as a consumer's bundler would.
    const size = await bundleSize(budget.source, { resolveDir: packageDir, external: budget.external ?? [] });
    results.push({
      entry: budget.entry,
      ...size,
      maxGzipBytes: budget.maxGzipBytes,
      maxOnDemandGzipBytes: budget.maxOnDemandGzipBytes,
      ok: size.gzipBytes <= budget.maxGzipBytes && size.onDemandGzipBytes <= budget.maxOnDemandGzipBytes,
    });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await measure();
  for (const r of results) {
    const demand = r.maxOnDemandGzipBytes
      ? `; on demand ${r.onDemandGzipBytes} B gzip (budget ${r.maxOnDemandGzipBytes} B)`
      : '';
    console.log(
      `${r.ok ? '✓' : '✗'} ${r.entry.padEnd(14)} at once ${String(r.minifiedBytes).padStart(6)} B minified, ${String(r.gzipBytes).padStart(5)} B gzip (budget ${r.maxGzipBytes} B)${demand}`,
    );
  }
  if (results.some((r) => !r.ok)) {
    console.error('Over the size budget.');
    process.exitCode = 1;
  }
}
