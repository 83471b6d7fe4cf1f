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
}

export const budgets: Budget[] = [
  {
    entry: '.',
    source: "export * from 'conversations-bindings-contract';",
    // 10.5 KiB: validators compiled to straight-line code (6× faster than the interpreter they replaced,
    // about 0.7 KiB more), every read of a hostile response guarded (about 0.4 KiB), and the validators
    // exact to JSON Schema, RFC 3339 and RFC 3986 (about 0.5 KiB: the uri grammar's authority and IP
    // literals, own-member reads; less a leaner date-time and pattern matchers that share its runs).
    maxGzipBytes: 10.5 * 1024,
    maxOnDemandGzipBytes: 3 * 1024,
  },
  {
    entry: './types',
    // Both a type-only import and a bare import of the entry must add no runtime code.
    source:
      "import type { Binding } from 'conversations-bindings-contract/types';\nimport 'conversations-bindings-contract/types';",
    maxGzipBytes: 0,
    maxOnDemandGzipBytes: 0,
  },
  {
    // The fake, for consumers' tests: not part of the client's budget, with its own.
    entry: './testing',
    source: "export * from 'conversations-bindings-contract/testing';",
    maxGzipBytes: 10 * 1024,
    maxOnDemandGzipBytes: 0,
  },
  {
    entry: './testing/msw',
    source: "export * from 'conversations-bindings-contract/testing/msw';",
    maxGzipBytes: 4 * 1024,
    maxOnDemandGzipBytes: 0,
    external: ['msw'],
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
