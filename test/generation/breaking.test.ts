// The breaking-change gate: redocly diff's verdict on typical contract edits, and the version rule.
// Each edit is derived from the contract as it is (its first field, its rate-limit response…), so the
// cases hold whatever the contract says. (The committed contract against the baseline is a golden test.)
import { beforeAll, describe, expect, it } from 'vitest';
import { operationFacts, statusOfResponse } from '../../generated/contract.js';
import { blockOf, contractChanges, withBlock } from '../../scripts/changelog.ts';
import { gate, releaseKind } from '../../scripts/check-breaking.ts';
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

const cases: [string, { given: (doc: Doc) => void; major: boolean; changelog?: string[] }][] = [
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
    'a value added to a response enum',
    {
      given: (doc) => {
        doc.components.schemas.BindingType.enum.push('added-value');
      },
      major: true,
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

describe('the changelog generated from the same diff', () => {
  const changelog: Record<string, string[]> = {
    'a removed field': ['- Fields removed:', `Property \`${firstField}\` of \`ServiceBinding\` was removed.`],
    'a tightened pattern (one character fewer allowed)': [
      '- Rules changed:',
      '`pattern` of `BindingSid` changed',
    ],
    'a removed response': [
      '- Statuses removed:',
      `${statusOfResponse.TooManyRequests} on FetchServiceBinding`,
    ],
    'an added optional field': ['- Fields added:', '`added_later` in the'],
    'a value added to a response enum': ['- Enum values:', "gained values: 'added-value'"],
    'an added example': ['- Documentation:', 'examples/another'],
  };
  it.each(cases)('%s: in its group, in words', (name, { given }) => {
    const lines = contractChanges(spec, edit(given), diffOf(name)).join('\n');
    for (const text of changelog[name] ?? ['(no expectation)']) expect(lines).toContain(text);
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

  it('says what the release is, and fails a change released as less than it needs', () => {
    const added = diffOf('an added optional field');
    expect(added.bump).toBe('minor');
    const asPatch = gate(baseline, added, '1.2.4');
    expect(asPatch.ok).toBe(false);
    expect(asPatch.lines.join('\n')).toContain('needs at least a minor release');
    const asMinor = gate(baseline, added, '1.3.0');
    expect(asMinor.ok).toBe(true);
    expect(asMinor.lines).toContain('Release 1.3.0 after 1.2.3: a minor release.');
    expect(releaseKind('1.2.3', '1.2.3')).toBe('none');
    expect(releaseKind('1.2.3', '1.10.0')).toBe('minor');
    expect(releaseKind('1.2.3', '1.2.4-rc.1')).toBe('patch');
    expect(releaseKind('1.2.3', '1.2.4+build.7')).toBe('patch');
    expect(releaseKind('v1.2.3', 'v1.3.0')).toBe('minor');
  });
});

describe('CHANGELOG.md blocks', () => {
  it("replace a version's generated block in place, or add the entry newest first", () => {
    const start = '# Changelog\n\nIntro.\n\n## [1.0.0] - 2026-01-01\n\nOld notes.\n';
    const added = withBlock(start, '1.1.0', '2026-02-02', '<!-- x -->');
    expect(added.indexOf('## [1.1.0] - 2026-02-02')).toBeLessThan(added.indexOf('## [1.0.0]'));
    expect(blockOf(added, '1.1.0')).toBeUndefined(); // not between the markers: no block
  });
});
