// The client's shape, for the next maintainer and for the programs that load it: its modules import one
// way (no circle, type imports and imports on demand included), no function runs past a screen, and what a
// program loads at once is one file holding none of what is loaded with the first request or the first list.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.ts';

// Required, not imported: through Node 20's ESM loader the 9 MB typescript.js is parsed twice more (its
// module format detected, its exports lexed), which doubles its load.
const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');

const clientDir = join(root, 'src/client');
const modules = readdirSync(clientDir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(clientDir, f));

/** The modules of src/client a module imports: statically, as types, or on demand. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specifiers
    .map((s) => join(dirname(file), s).replace(/\.js$/, '.ts'))
    .filter((target) => target.startsWith(`${clientDir}/`));
}

/** A circle of imports, as the modules it goes through, or undefined when there is none. */
function circle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return undefined;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const found = visit(node);
    if (found) return found.map((f) => relative(clientDir, f));
  }
  return undefined;
}

/** Each function of a module longer than `max` lines, with where it starts. */
function longFunctions(file: string, max: number): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const long: string[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: import('typescript').Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart()) + 1;
      if (lines > max) long.push(`${relative(root, file)}:${lineOf(node.getStart())} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return long;
}

describe('the client’s modules', () => {
  it('import one way: no circle, type imports and imports on demand included', () => {
    const graph = new Map(modules.map((m) => [m, importsOf(m)]));
    expect([...graph.values()].flat().length).toBeGreaterThan(modules.length);
    expect(circle(graph)).toBeUndefined();
  });

  it('hold no function longer than a screen (60 lines)', () => {
    expect(modules.flatMap((m) => longFunctions(m, 60))).toEqual([]);
  });
});

describe('what a program loads at once from the client entry', () => {
  it('is one file, holding none of the answers, the list walk or raw (each loaded on demand)', async () => {
    const out = await build({
      stdin: { contents: "export * from './src/client/index.ts';", resolveDir: root, loader: 'ts' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      outdir: 'out',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const outputs = Object.values(out.metafile.outputs);
    const entry = outputs.find((o) => o.entryPoint === '<stdin>');
    // A file both parts share would be a second file loaded at once, compressed apart.
    expect(entry?.imports.filter((i) => i.kind === 'import-statement')).toEqual([]);
    const atOnce = Object.keys(entry?.inputs ?? {});
    expect(atOnce).toContain('src/client/request.ts');
    // (response.ts and violations.ts bind the answers for the modules that import them: never the client.)
    const onDemand = ['answers/', 'response.ts', 'violations.ts', 'pages.ts', 'raw.ts'].map(
      (f) => `src/client/${f}`,
    );
    for (const part of [...onDemand, 'openapi-fetch'])
      expect(atOnce.filter((input) => input.includes(part))).toEqual([]);
    // Each of them is in a file of its own, loaded by an import on demand.
    const dynamic = entry?.imports.filter((i) => i.kind === 'dynamic-import') ?? [];
    expect(dynamic.length).toBeGreaterThanOrEqual(4);
  });
});
