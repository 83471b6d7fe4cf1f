// Vitest global setup of npm run test:processes: the command line bundled once for the tests that start it
// as a process of its own (test/support/cli-process.ts). They start no shared Prism, and they record no
// contract coverage: npm test's run is the suite's coverage.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { build as bundle } from 'esbuild';
import { CLI_BUNDLE } from './support/cli-process.ts';

export default async function setup() {
  rmSync(dirname(CLI_BUNDLE), { recursive: true, force: true });
  // The command line the process tests start, made from src/ for this run.
  await bundle({
    entryPoints: [new URL('../src/cli/bin.ts', import.meta.url).pathname],
    outdir: dirname(CLI_BUNDLE),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // What src/ imports on demand (the MCP server and its SDK) stays on demand, in chunks beside bin.mjs.
    splitting: true,
    chunkNames: '[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
}
