// The generated validators' lean date-time and uri checks agree with ajv-formats' full mode, but where it
// is looser than RFC 3339 and RFC 3986.
import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateTime, uri } from '../../src/client/validator-runtime.ts';
import { bindingExample } from '../support/contract.ts';

const full = (name: 'date-time' | 'uri') => {
  const f = fullFormats[name] as { validate: (s: string) => boolean } | ((s: string) => boolean);
  return typeof f === 'function' ? f : f.validate;
};

const dateTimes = [
  '2016-10-21T11:37:03Z',
  '2016-10-21t11:37:03z',
  '2016-10-21T11:37:03.123+05:30',
  '2016-02-29T00:00:00Z',
  '2015-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2016-04-31T00:00:00Z',
  '2016-13-01T00:00:00Z',
  '2016-10-21T24:00:00Z',
  '2016-10-21T23:60:00Z',
  '2016-10-21T11:37:03',
  '2016-10-21',
  '2016-10-21T11:37Z',
  'yesterday',
  '',
  '2016-10-21T11:37:03+24:00',
];
const uris = [
  String(bindingExample.url),
  'http://example.com/a?b=c#d',
  'urn:isbn:0451450523',
  'mailto:someone@example.com',
  'https://example.com/%20x',
  'https://example.com/a b',
  'https://example.com/%zz',
  '/relative/path',
  'example.com',
  '',
  'https://exa mple.com',
  'ftp://[::1]/x',
  'http://user:pw@example.com:8080/a',
  'http://192.168.1.1/',
  'http://[::ffff:1.2.3.4]/',
  'http://[v7.x]/',
  'http://us[er@example.com/',
  'http://example.com/a[b]',
];

describe('lean formats', () => {
  it.each(dateTimes)('date-time %j agrees with ajv-formats', (value) => {
    expect(dateTime(value)).toBe(full('date-time')(value));
  });
  it.each(uris)('uri %j agrees with ajv-formats', (value) => {
    expect(uri(value)).toBe(full('uri')(value));
  });

  it.each([
    [
      'date-time: hour 24 (RFC 3339 §5.6: 00-23)',
      { format: 'date-time', given: '2016-01-01T24:59:00+01:00' },
    ],
    [
      'date-time: a space for the T (not in the ABNF)',
      { format: 'date-time', given: '2016-10-21 11:37:03Z' },
    ],
    ['date-time: a tab for the T', { format: 'date-time', given: '2016-10-21\t11:37:03Z' }],
    ['uri: an IP literal after one slash (a path)', { format: 'uri', given: 'http:/[::1]/' }],
    // It reads "//" as one slash and a path too: the path "/example.com:8a/" after an empty host.
    ['uri: a port with a letter', { format: 'uri', given: 'http://example.com:8a/' }],
  ] as const)('is stricter where ajv-formats errs: %s', (_, { format, given }) => {
    expect(full(format)(given)).toBe(true);
    expect((format === 'uri' ? uri : dateTime)(given)).toBe(false);
  });

  it('date-time agrees on generated dates and times, valid and not', () => {
    const n = (min: number, max: number, width: number) =>
      fc.integer({ min, max }).map((v) => String(v).padStart(width, '0'));
    const candidate = fc
      .tuple(
        n(0, 9999, 4),
        n(0, 13, 2),
        n(0, 32, 2),
        n(0, 23, 2),
        n(0, 59, 2),
        n(0, 61, 2),
        fc.constantFrom('Z', '+01:00', '-23:59', ''),
      )
      .map(([y, mo, d, h, mi, s, z]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${z}`);
    fc.assert(
      fc.property(candidate, (value) => dateTime(value) === full('date-time')(value)),
      { numRuns: 1000 },
    );
  });

  it('uri agrees on generated URLs', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        (value) => uri(value) === full('uri')(value),
      ),
      {
        numRuns: 400,
      },
    );
  });
});
