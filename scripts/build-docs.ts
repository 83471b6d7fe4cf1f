// npm run docs: the contract as a self-contained HTML reference page (Redoc, scripts inlined: it opens
// offline and asks no CDN for anything) in build/docs/, which git ignores.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generatedDir, root } from './paths.ts';

export const docsPage = join(root, 'build/docs/index.html');

// Redoc's "API docs by" badge fetches its logo from Redocly's CDN even with --inlineBundle; the page
// must open offline, so the logo is inlined. No favicon either: the browser would ask the server.
const LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="52" height="14"><text x="0" y="11" font-family="sans-serif" font-size="11" fill="#666">Redoc</text></svg>',
)}`;
const CDN_ASSETS = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;

export async function buildDocs(): Promise<string> {
  await mkdir(join(root, 'build/docs'), { recursive: true });
  await promisify(execFile)(
    join(root, 'node_modules/.bin/redocly'),
    [
      'build-docs',
      join(generatedDir, 'openapi.json'),
      '--inlineBundle',
      '--output',
      docsPage,
      '--title',
      'Conversations API: push notification bindings',
    ],
    { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', DO_NOT_TRACK: '1' } },
  );
  const html = await readFile(docsPage, 'utf8');
  await writeFile(
    docsPage,
    html.replace(CDN_ASSETS, LOGO).replace('<head>', '<head>\n<link rel="icon" href="data:,">'),
  );
  return docsPage;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const page = await buildDocs();
  console.log(`Reference page: ${page}\nOpen it in a browser (file://${page}); it needs no network.`);
}
