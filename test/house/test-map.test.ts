// test/README.md stays true: every module of src/ is in its map, every test it names exists, and every test
// file of the suite is named by it (a module nobody can find the tests of is a module nobody maintains).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.ts';

const map = readFileSync(join(root, 'test/README.md'), 'utf8');
const section = map.slice(map.indexOf('## Module → tests'));
const rows = section.split('\n').filter((line) => line.startsWith('| `'));
const named = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter(keep)
    .sort();
}

describe('test/README.md maps each module to its tests', () => {
  const modules = rows.flatMap((row) => named(row.split('|')[1] ?? ''));
  const tests = rows.flatMap((row) => named(row.split('|')[2] ?? ''));

  it('names every module of src/', () => {
    const all = files('src', (f) => f.endsWith('.ts'));
    expect(all.filter((f) => !modules.includes(f))).toEqual([]);
  });

  it('names only tests that exist', () => {
    expect(tests.filter((t) => !existsSync(join(root, 'test', t)))).toEqual([]);
  });

  it('names every test file of the suite at least once', () => {
    const mentioned = new Set(tests.flatMap((t) => (t.endsWith('/') ? [] : [t])));
    const folders = tests.filter((t) => t.endsWith('/'));
    const all = files('test', (f) => /\.test(-d)?\.ts$/.test(f) && !f.includes('/fixtures/')).map((f) =>
      f.slice('test/'.length),
    );
    expect(all.filter((t) => !mentioned.has(t) && !folders.some((d) => t.startsWith(d)))).toEqual([]);
  });
});
