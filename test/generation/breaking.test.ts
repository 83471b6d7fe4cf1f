// The breaking-change gate: redocly diff's verdict on typical contract edits, and the version rule.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { gate } from '../../scripts/check-breaking.ts';
import { diffContracts } from '../../scripts/contract-diff.ts';
import { spec } from '../support/contract.ts';

type Doc = typeof spec;
const edit = (change: (doc: Doc) => void): Doc => {
  const copy = structuredClone(spec);
  change(copy);
  return copy;
};
const binding = (doc: Doc) => doc.components.schemas.ServiceBinding;
const operation = (doc: Doc) =>
  (Object.values(doc.paths)[0] as { get: { responses: Record<string, unknown> } }).get;

const cases: [string, { given: (doc: Doc) => void; major: boolean }][] = [
  ['a removed field', { given: (doc) => delete binding(doc).properties.identity, major: true }],
  [
    'a tightened pattern',
    {
      given: (doc) => {
        doc.components.schemas.BindingSid.pattern = '^BS[0-9a-f]{32}$';
      },
      major: true,
    },
  ],
  ['a removed response', { given: (doc) => delete operation(doc).responses['429'], major: true }],
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
        const media = doc.components.responses.NotFound.content['application/json'];
        media.examples.another = {
          summary: 'Another unknown binding',
          value: { ...(Object.values(media.examples)[0] as { value: object }).value },
        };
      },
      major: false,
    },
  ],
];

describe('redocly diff (diff-recommended)', () => {
  it.each(cases)('%s', async (_name, { given, major }) => {
    const diff = await diffContracts(spec, edit(given));
    expect(diff.changes.length).toBeGreaterThan(0);
    expect(diff.bump === 'major').toBe(major);
  });
});

describe('the gate', () => {
  const baseline = { 'x-released-version': '1.2.3', ...spec };
  const breaking = edit((doc) => delete binding(doc).properties.identity);

  it('fails a major change without a major version', async () => {
    const verdict = await gate(baseline, breaking, '1.3.0');
    expect(verdict.ok).toBe(false);
    expect(verdict.lines.join('\n')).toMatch(/Property `identity` of `ServiceBinding` was removed/);
  });

  it('passes a major change with a raised major version', async () => {
    expect((await gate(baseline, breaking, '2.0.0')).ok).toBe(true);
  });

  it('passes the committed contract against the committed baseline', async () => {
    const committed = JSON.parse(
      await readFile(new URL('../../baseline/openapi.json', import.meta.url), 'utf8'),
    );
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect((await gate(committed, spec, version)).ok).toBe(true);
  });
});
