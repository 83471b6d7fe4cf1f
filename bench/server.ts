// The loopback target: a node:http server on 127.0.0.1 answering every GET with SEED.md's example (from
// the bundled contract), run in its own process by bench/targets.ts; prints its URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exampleBody, jsonType } from './contract.ts';

const body = exampleBody;

const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': jsonType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
