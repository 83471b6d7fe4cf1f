// The benchmark target: a node:http server on 127.0.0.1 answering every GET with SEED.md's example
// (from the bundled contract), run in its own process so it does not share the client's event loop.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const spec = JSON.parse(readFileSync(new URL('../generated/openapi.json', import.meta.url), 'utf8'));
const [pathItem] = Object.values(spec.paths) as {
  get: {
    responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }>;
  };
}[];
const example = Object.values(pathItem?.get.responses['200']?.content['application/json']?.examples ?? {})[0]
  ?.value;
const body = JSON.stringify(example);

const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
