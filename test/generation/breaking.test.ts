// The breaking-change gate: redocly diff's verdict on typical contract edits, and the version rule.
// Each edit is derived from the contract as it is (its first field, its rate-limit response…), so the
// cases hold whatever the contract says. (The committed contract against the baseline is a golden test.)
import { beforeAll, describe, expect, it } from 'vitest';
import { operationFacts, statusOfResponse } from '../../generated/contract.js';
import { gate } from '../../scripts/check-breaking.ts';
import { type ContractDiff, diffContractsMany } from '../../scripts/contract-diff.ts';
import { jsonType, spec } from '../support/contract.ts';

type Doc = typeof spec;
const edit = (change: (doc: Doc) => void): Doc => {
  const copy = structuredClone(spec);
  change(copy);
  return copy;
};
const binding = (doc: Doc) => doc.components.schemas.ServiceBinding;
const { path, method } = operationFacts.FetchServiceBinding;
const operation = (doc: Doc) => doc.paths[path][method.toLowerCase()];
const firstField = Object.keys(binding(spec).properties)[0] as string;

const cases: [string, { given: (doc: Doc) => void; major: boolean }][] = [
  ['a removed field', { given: (doc) => delete binding(doc).properties[firstField], major: true }],
  [
    'a tightened pattern (one character fewer allowed)',
    {
      given: (doc) => {
        const sid = doc.components.schemas.BindingSid;
        sid.pattern = sid.pattern.replace(/\{(\d+)\}/, (_: string, n: string) => `{${Number(n) - 1}}`);
      },
      major: true,
    },
  ],
  [
    'a removed response',
    { given: (doc) => delete operation(doc).responses[statusOfResponse.TooManyRequests], major: true },
  ],
  [
    'an added optional field',
    {
      given: (doc) => {
        binding(doc).properties.added_later = { type: ['string', 'null'], description: 'New.' };
      },
      major: false,
    },
  ],
  [
    'an added example',
    {
      given: (doc) => {
        const media = doc.components.responses.NotFound.content[jsonType];
        media.examples.another = {
          summary: 'Another unknown binding',
          value: { ...(Object.values(media.examples)[0] as { value: object }).value },
        };
      },
      major: false,
    },
  ],
];

const baseline = { 'x-released-version': '1.2.3', ...spec };
const breaking = edit((doc) => delete binding(doc).properties[firstField]);

// Every diff of this file in one batch: Redocly's CLI loads once, not once per case.
let diffs = new Map<string, ContractDiff>();
beforeAll(async () => {
  const pairs: [string, [Doc, Doc]][] = [
    ...cases.map(([name, { given }]): [string, [Doc, Doc]] => [name, [spec, edit(given)]]),
    ['gate: breaking', [baseline, breaking]],
  ];
  const computed = await diffContractsMany(pairs.map(([, pair]) => pair));
  diffs = new Map(pairs.map(([name], i) => [name, computed[i] as ContractDiff]));
});
const diffOf = (name: string) => diffs.get(name) as ContractDiff;

describe('redocly diff (diff-recommended)', () => {
  it.each(cases)('%s', (name, { major }) => {
    const diff = diffOf(name);
    expect(diff.changes.length).toBeGreaterThan(0);
    expect(diff.bump === 'major').toBe(major);
    expect(diff.raw.some((change) => change.impact === 'major')).toBe(major);
  });
});

describe('the gate', () => {
  it('fails a major change without a major version', () => {
    const verdict = gate(baseline, diffOf('gate: breaking'), '1.3.0');
    expect(verdict.ok).toBe(false);
    expect(verdict.lines.join('\n')).toContain(
      `Property \`${firstField}\` of \`ServiceBinding\` was removed`,
    );
  });

  it('passes a major change with a raised major version', () => {
    expect(gate(baseline, diffOf('gate: breaking'), '2.0.0').ok).toBe(true);
  });
});
