// Classifies the changes between two bundled contracts with `redocly diff` (diff-recommended rules).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './paths.ts';

const run = promisify(execFile);

export type Impact = 'major' | 'minor' | 'patch';
export interface ContractDiff {
  bump: Impact | 'none';
  changes: { impact: Impact; message: string }[];
}

/** Release bookkeeping is not part of the contract: leave it out of the comparison. */
const contractOnly = ({ 'x-released-version': _, 'x-generated': __, ...doc }: Record<string, unknown>) => doc;

export async function diffContracts(
  base: Record<string, unknown>,
  revision: Record<string, unknown>,
): Promise<ContractDiff> {
  const dir = await mkdtemp(join(tmpdir(), 'bindings-diff-'));
  try {
    await writeFile(join(dir, 'base.json'), JSON.stringify(contractOnly(base)));
    await writeFile(join(dir, 'revision.json'), JSON.stringify(contractOnly(revision)));
    const { stdout } = await run(
      join(root, 'node_modules/.bin/redocly'),
      [
        'diff',
        'base.json',
        'revision.json',
        '--config',
        join(root, 'redocly-diff.yaml'),
        '--format',
        'json',
        '--fail-on',
        'none',
      ],
      {
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', DO_NOT_TRACK: '1' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const report = JSON.parse(stdout) as {
      bump?: Impact | 'none';
      changes: {
        path: string;
        kind: string;
        impact: Impact;
        verdicts: { impact: Impact; message: string }[];
      }[];
    };
    return {
      bump: report.bump ?? 'none',
      // A change without a rule's verdict (an addition, say) is described by its kind and location.
      changes: report.changes.flatMap((c) =>
        c.verdicts.length
          ? c.verdicts.map(({ impact, message }) => ({ impact, message }))
          : [
              {
                impact: c.impact,
                message: `${c.kind}: ${decodeURIComponent(c.path.replace(/~1/g, '/').replace(/~0/g, '~'))}`,
              },
            ],
      ),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
