// Headless Chromium (Debian's, driven by playwright-core) and a static file server on 127.0.0.1.
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags this closed-network machine needs: nothing phones home, nothing waits for a GPU. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    // playwright-core gives every launch a fresh, empty profile (its own --user-data-dir).
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
};

/** Serves a folder's files (and in-memory ones) on 127.0.0.1; resolves to its origin and a closer. */
export async function serveStatic(dir: string, files: Record<string, string> = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const name = path === '/' ? '/index.html' : path;
    const inMemory = files[name];
    res.setHeader('content-type', TYPES[extname(name)] ?? 'application/octet-stream');
    if (inMemory !== undefined) return res.end(inMemory);
    createReadStream(join(dir, name))
      .on('error', () => {
        res.statusCode = 404;
        res.end('not found');
      })
      .pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
