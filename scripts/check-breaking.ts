// npm run check:breaking: the breaking-change gate. Compares the contract with the last released one
// (baseline/openapi.json) and fails on a major change unless package.json's major version was raised.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { changelogProblem } from './changelog.ts';
import { type ContractDiff, diffContracts } from './contract-diff.ts';
import { baselinePath, generatedDir, root } from './paths.ts';

const major = (version: string) => Number(version.split('.')[0]);
const RANK = { none: 0, patch: 1, minor: 2, major: 3 } as const;

/** What a version raises over the one before it: major, minor, patch, or none (the same or older). */
export function releaseKind(released: string, version: string): keyof typeof RANK {
  // major.minor.patch only: a leading v, a pre-release (-rc.1) or build (+7) part is not the release's size.
  const parts = (v: string) =>
    v
      .replace(/^v/, '')
      .replace(/[-+].*$/, '')
      .split('.')
      .map(Number);
  const [a = 0, b = 0, c = 0] = parts(released);
  const [x = 0, y = 0, z = 0] = parts(version);
  if (x !== a) return x > a ? 'major' : 'none';
  if (y !== b) return y > b ? 'minor' : 'none';
  return z > c ? 'patch' : 'none';
}

/** The gate's verdict on the diff from the released baseline to the contract, for a package version. */
export function gate(
  baseline: Record<string, unknown>,
  diff: ContractDiff,
  version: string,
): { ok: boolean; lines: string[] } {
  const released = String(baseline['x-released-version']);
  const kind = releaseKind(released, version);
  const lines = [
    `Contract ${version} against the released ${released}: ${diff.bump === 'none' ? 'no change' : `a ${diff.bump} change`}.`,
    ...diff.changes.map((c) => `  ${c.impact.padEnd(5)} ${c.message}`),
    `Release ${version} after ${released}: ${kind === 'none' ? 'not a new version' : `a ${kind} release`}.`,
  ];
  // A contract change needs a release at least its size (a minor change released as a patch misleads).
  if (diff.bump !== 'major' && RANK[kind] < RANK[diff.bump])
    return {
      ok: false,
      lines: [...lines, `The contract's ${diff.bump} change needs at least a ${diff.bump} release.`],
    };
  if (diff.bump !== 'major') return { ok: true, lines };
  if (major(version) > major(released)) {
    return {
      ok: true,
      lines: [...lines, `Breaking, and the major version was raised (${released} → ${version}).`],
    };
  }
  return {
    ok: false,
    lines: [
      ...lines,
      `Breaking: raise package.json's major version (now ${version}), or keep the contract compatible.`,
    ],
  };
}

export async function checkBreaking(): Promise<{ ok: boolean; lines: string[] }> {
  const read = async (path: string) => JSON.parse(await readFile(path, 'utf8'));
  const { version } = (await read(join(root, 'package.json'))) as { version: string };
  const baseline = await read(baselinePath);
  const diff = await diffContracts(baseline, await read(join(generatedDir, 'openapi.json')));
  return gate(baseline, diff, version);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok, lines } = await checkBreaking();
  // The changelog's contract changes come from this same diff: a stale one fails the gate too.
  const stale = await changelogProblem();
  (ok && !stale ? console.log : console.error)([...lines, ...(stale ? [stale] : [])].join('\n'));
  if (!ok || stale) process.exitCode = 1;
}
