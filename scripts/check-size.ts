// npm run size: the size budget. Bundles each public entry of dist/ as a consumer's bundler would
// (esbuild, browser, minified) and fails when one is over its gzip budget.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

interface Budget {
  entry: string;
  /** What a consumer writes. */
  source: string;
  maxGzipBytes: number;
}

export const budgets: Budget[] = [
  {
    entry: '.',
    source: "export * from 'conversations-bindings-contract';",
    maxGzipBytes: 9 * 1024,
  },
  {
    entry: './types',
    // Both a type-only import and a bare import of the entry must add no runtime code.
    source:
      "import type { Binding } from 'conversations-bindings-contract/types';\nimport 'conversations-bindings-contract/types';",
    maxGzipBytes: 0,
  },
];

export interface Measured {
  entry: string;
  minifiedBytes: number;
  gzipBytes: number;
  maxGzipBytes: number;
  ok: boolean;
}

/** Bundles each budget's source against the package in `packageDir` (default: this repo's dist/). */
export async function measure(packageDir = process.cwd()): Promise<Measured[]> {
  const results: Measured[] = [];
  for (const budget of budgets) {
    const out = await build({
      stdin: { contents: budget.source, resolveDir: packageDir, loader: 'ts', sourcefile: 'consumer.ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      // The package resolves itself by name through its exports map, as a consumer's bundler would.
    });
    const code = (out.outputFiles[0]?.text ?? '').trim();
    // An empty bundle still gzips to a ~20-byte header: no code at all is 0 bytes.
    const gzipBytes = code ? gzipSync(code, { level: 9 }).length : 0;
    results.push({
      entry: budget.entry,
      minifiedBytes: Buffer.byteLength(code),
      gzipBytes,
      maxGzipBytes: budget.maxGzipBytes,
      ok: gzipBytes <= budget.maxGzipBytes,
    });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await measure();
  for (const r of results) {
    console.log(
      `${r.ok ? '✓' : '✗'} ${r.entry.padEnd(8)} ${String(r.minifiedBytes).padStart(6)} B minified, ${String(r.gzipBytes).padStart(5)} B gzip (budget ${r.maxGzipBytes} B)`,
    );
  }
  if (results.some((r) => !r.ok)) {
    console.error('Over the size budget.');
    process.exitCode = 1;
  }
}
