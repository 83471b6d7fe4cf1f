// Bundles openapi/ into one self-contained OpenAPI document (refs kept as local components).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generatedBy, root, specEntry } from './paths.ts';

const run = promisify(execFile);

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
};

export async function bundleSpec(): Promise<OpenApiDocument> {
  const dir = await mkdtemp(join(tmpdir(), 'bindings-bundle-'));
  try {
    const out = join(dir, 'openapi.json');
    await run(join(root, 'node_modules/.bin/redocly'), ['bundle', specEntry, '--output', out], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', DO_NOT_TRACK: '1' },
    });
    const bundled = JSON.parse(await readFile(out, 'utf8')) as OpenApiDocument;
    // JSON has no comments: the header is an extension key, first in the document.
    return { 'x-generated': generatedBy('scripts/bundle-spec.ts'), ...bundled };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
