// npm run mcp:conformance: the official MCP conformance suite's server scenarios against
// `bindings-contract mcp --http` as built (dist/: the SDK bundled, as a consumer installs it), with the
// reviewed list of scenarios that do not apply (test/mcp/conformance-not-applicable.yaml). The suite needs
// Node 22 or later (it imports fs.globSync): it runs on Node 24 from the npm registry, as the consumer tests do.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './paths.ts';

/** How long the server may take to say where it listens. */
const START_MS = 30_000;

const bin = join(root, 'dist/src/cli/bin.js');
if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
const server = spawn(process.execPath, [bin, 'mcp', '--http', '--port', '0', '--mock', 'stateful'], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'pipe'],
});
const exited = new Promise((resolve) => server.once('exit', resolve));
let said = '';
const url = await new Promise<string>((resolve, reject) => {
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (chunk: string) => {
    said += chunk;
    process.stderr.write(chunk);
    const listening = /at (http:\/\/\S+\/mcp)/.exec(said);
    if (listening) resolve(listening[1] as string);
  });
  void exited.then((code) => reject(new Error(`mcp --http ended (${code}) before it listened: ${said}`)));
  setTimeout(() => reject(new Error(`mcp --http said no URL in ${START_MS} ms`)), START_MS).unref();
});
try {
  const suite = join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
  const reviewed = join(root, 'test/mcp/conformance-not-applicable.yaml');
  const run = spawnSync(
    'npx',
    ['--yes', '-p', 'node@24', 'node', suite, 'server', '--url', url, '--expected-failures', reviewed],
    { cwd: root, stdio: 'inherit' },
  );
  process.exitCode = run.status ?? 1;
} finally {
  server.kill('SIGTERM');
  await exited;
}
