// npm run build: src/ → dist/ (ES modules, .d.ts, declaration and source maps), plus the generated
// modules and the bundled contract they import, at the same relative paths, and the MCP SDK and the
// command line's fast-check bundled.
import { execFileSync } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleFuzz } from './bundle-fuzz.ts';
import { bundleMcpSdk } from './bundle-mcp.ts';
import { generatedDir, root } from './paths.ts';

export async function build(): Promise<void> {
  const dist = join(root, 'dist');
  await rm(dist, { recursive: true, force: true });
  const tsc = join(root, 'node_modules/.bin/tsc');
  for (const project of ['tsconfig.build.json', 'tsconfig.cli.json']) {
    execFileSync(tsc, ['-p', project], { cwd: root, stdio: 'inherit' });
  }
  // src/ imports ../generated/*: the same relative layout under dist/ keeps those imports valid.
  await cp(generatedDir, join(dist, 'generated'), { recursive: true });
  // `bindings-contract mcp` runs where the package is installed with nothing more to install.
  await bundleMcpSdk();
  // `verify --fuzz` too: fast-check inlined into the CLI's build, never a dependency of the package.
  await bundleFuzz();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await build();
  console.error('dist/ built.');
}
