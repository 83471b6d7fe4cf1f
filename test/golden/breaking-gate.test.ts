// Golden test: the contract as it is against the last released one (baseline/openapi.json). A failure
// means a breaking change: keep the contract compatible, or raise package.json's major version.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { gate } from '../../scripts/check-breaking.ts';
import { diffContracts } from '../../scripts/contract-diff.ts';
import { spec } from '../support/contract.ts';

const read = async (path: string) => JSON.parse(await readFile(new URL(path, import.meta.url), 'utf8'));

describe('the breaking-change gate on the committed contract', () => {
  it('passes against the released baseline', async () => {
    const baseline = await read('../../baseline/openapi.json');
    const { version } = await read('../../package.json');
    const verdict = gate(baseline, await diffContracts(baseline, spec), version);
    const message = `The contract changed since the released ${baseline['x-released-version']}:\n${verdict.lines.join('\n')}`;
    expect(verdict.ok, message).toBe(true);
  });
});
