// The char-by-char date-time and uri checks give the verdicts of the regular expressions they replaced
// (kept here as the reference), on generated strings aimed at their edges: leap years and seconds,
// time-zone offsets, fractions, separators, non-ASCII digits, percent-encoding, stray characters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateTime, uri } from '../../src/client/validator-runtime.ts';

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The date-time check as it was: a regular expression, then the calendar and clock. */
function referenceDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const sign = m[7] === '-' ? -1 : 1;
  const [offsetHours, offsetMinutes] = [Number(m[8] ?? 0), Number(m[9] ?? 0)];
  const leapYear = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leapYear ? 29 : (DAYS[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > days || offsetHours > 23 || offsetMinutes > 59)
    return false;
  if (hour <= 23 && minute <= 59 && second <= 59) return true;
  const utcMinute = minute - offsetMinutes * sign;
  const utcHour = hour - offsetHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second === 60;
}

/** The uri check as it was. */
const referenceUri = (value: string) =>
  /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/.test(value);

const padded = (min: number, max: number, width: number) =>
  fc.integer({ min, max }).map((v) => String(v).padStart(width, '0'));
/** Now and then a digit that is not ASCII, a letter, or a digit too many or too few. */
const field = (min: number, max: number, width: number) =>
  fc.oneof(
    { weight: 12, arbitrary: padded(min, max, width) },
    { weight: 1, arbitrary: fc.constantFrom('٢', '３', 'a', '', '0'.repeat(width + 1), '+1', ' 1', '-1') },
  );
const offset = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('+', '-'), padded(0, 25, 2), padded(0, 61, 2)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('+', '-', '−'), field(0, 99, 2), field(0, 99, 2)) },
);
const zone = fc.oneof(
  fc.constantFrom('Z', 'z', '', 'UTC', 'Zz', 'ZZ'),
  offset.map(([sign, h, m]) => `${sign}${h}:${m}`),
  offset.map(([sign, h, m]) => `${sign}${h}${m}`),
  offset.map(([sign, h]) => `${sign}${h}`),
);
const fraction = fc.oneof(
  fc.constant(''),
  fc.stringMatching(/^\.\d{1,12}$/),
  fc.constantFrom('.', ',5', '.5a', '..5', '.٣'),
);
const separator = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('T', 't', ' ') },
  { weight: 1, arbitrary: fc.constantFrom('', 'x', '_', '  ', '\t', 'TT') },
);
const dash = fc.oneof(
  { weight: 12, arbitrary: fc.constant('-') },
  { weight: 1, arbitrary: fc.constantFrom('', '/', '--') },
);
const colon = fc.oneof(
  { weight: 12, arbitrary: fc.constant(':') },
  { weight: 1, arbitrary: fc.constantFrom('', '.', '::') },
);

/** Date-times built part by part, mostly well formed, with every range overstepped now and then. */
const candidates = fc
  .tuple(
    field(0, 9999, 4),
    dash,
    field(0, 13, 2),
    dash,
    field(0, 32, 2),
    separator,
    field(0, 25, 2),
    colon,
    field(0, 61, 2),
    colon,
    field(0, 61, 2),
    fraction,
    zone,
    fc.constantFrom('', '', '', ' ', '\n', 'Z', '0'),
  )
  .map((parts) => parts.join(''));

/** Leap seconds: 23:59:60 UTC written in any time zone, and a second 60 at other times. */
const leapSeconds = fc
  .tuple(
    fc.constantFrom('+', '-'),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: -2, max: 2 }),
    fc.integer({ min: -2, max: 2 }),
    fc.constantFrom('60', '59', '61'),
    fc.constantFrom('1998-12-31', '2016-12-31', '2017-01-01', '2016-06-30'),
  )
  .map(([sign, h, m, nudgeHour, nudgeMinute, second, date]) => {
    const east = (sign === '+' ? 1 : -1) * (h * 60 + m);
    const local = (((23 * 60 + 59 + east + nudgeHour * 60 + nudgeMinute) % 1440) + 1440) % 1440;
    const two = (n: number) => String(n).padStart(2, '0');
    return `${date}T${two(Math.floor(local / 60))}:${two(local % 60)}:${second}${sign}${two(h)}:${two(m)}`;
  });

/** A valid date-time with one character replaced, inserted or removed. */
const mutated = fc
  .tuple(
    fc.date({
      min: new Date('0000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.nat(),
    fc.constantFrom('0', '9', '-', ':', 'T', 'Z', '+', '.', '٣', '\u0000', '😀', 'é', ' '),
    fc.constantFrom('replace', 'insert', 'remove'),
  )
  .map(([date, at, c, how]) => {
    const text = date.toISOString();
    const i = at % (text.length + 1);
    if (how === 'insert') return text.slice(0, i) + c + text.slice(i);
    return text.slice(0, i) + (how === 'replace' ? c : '') + text.slice(i + 1);
  });

describe('date-time, char by char, as the regular expression did', () => {
  it('agrees on the edges it is easy to get wrong', () => {
    for (const value of [
      '2016-02-29T00:00:00Z',
      '2000-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2400-02-29T00:00:00Z',
      '0000-02-29T00:00:00Z',
      '2016-12-31T23:59:60Z',
      '2016-12-31T23:59:60z',
      '2016-12-31T23:59:60+00:00',
      '2017-01-01T00:59:60+01:00',
      '2016-12-31T22:59:60-01:00',
      '2016-12-31T23:58:60Z',
      '2016-12-31T24:00:00Z',
      '2016-01-01T24:59:60+01:00',
      '2016-12-31T23:59:61Z',
      '2016-10-21T11:37:03.Z',
      '2016-10-21T11:37:03.000000000001Z',
      '2016-10-21T11:37:03+05:30',
      '2016-10-21T11:37:03+0530',
      '2016-10-21T11:37:03+24:00',
      '2016-10-21T11:37:03+23:60',
      '2016-10-21T11:37:03-00:00',
      '2016-10-21T11:37:03Z ',
      ' 2016-10-21T11:37:03Z',
      '2016-10-21T11:37:03',
      '2016-10-21T11:37:0３Z',
      '20161021T113703Z',
      '',
    ])
      expect(dateTime(value), value).toBe(referenceDateTime(value));
  });

  it('agrees on generated date-times, valid and not', () => {
    fc.assert(
      fc.property(fc.oneof(candidates, leapSeconds, mutated), (value) => {
        expect(dateTime(value)).toBe(referenceDateTime(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        expect(dateTime(value)).toBe(referenceDateTime(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('finds leap seconds where the regular expression did, in every time zone', () => {
    let valid = 0;
    fc.assert(
      fc.property(leapSeconds, (value) => {
        const verdict = dateTime(value);
        expect(verdict).toBe(referenceDateTime(value));
        if (verdict && value.slice(17, 19) === '60') valid++;
      }),
      { numRuns: 5000 },
    );
    // The generator does reach the valid ones (23:59:60 UTC, whatever the offset).
    expect(valid).toBeGreaterThan(0);
  });
});

/** What a URI may hold, and what it may not: the reserved and unreserved set, %, and strays. */
const uriUnits = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(..."aZ09-._~!$&'()*+,;=:@/?#[]") },
  { weight: 3, arbitrary: fc.constantFrom('%20', '%zz', '%2', '%', '%%41', '%aF', '%G0') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ' ',
      '"',
      '<',
      '>',
      '\\',
      '^',
      '`',
      '{',
      '|',
      '}',
      '\u007f',
      '\u0000',
      'é',
      '😀',
      '\ud800',
      '\n',
    ),
  },
);
const uris = fc
  .tuple(
    fc.constantFrom(
      'http:',
      'https://',
      'urn:isbn:',
      'a:',
      'A+b-c.d:',
      '1a:',
      ':',
      'a',
      '',
      'mail to:',
      'é:',
      'a_b:',
    ),
    fc.array(uriUnits, { maxLength: 30 }),
  )
  .map(([scheme, rest]) => scheme + rest.join(''));

describe('uri, char by char, as the regular expression did', () => {
  it('agrees on generated URIs, valid and not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          uris,
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.string({ unit: 'binary', maxLength: 30 }),
        ),
        (value) => {
          expect(uri(value)).toBe(referenceUri(value));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('agrees on a stray character at every position of a long URI (the four-at-a-time scan and its tail)', () => {
    const base =
      'https://conversations.twilio.com/v1/Services/ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Bindings/%41b';
    for (let i = 0; i <= base.length; i++)
      for (const c of [' ', '%', '%4', 'é', '"', '']) {
        const value = base.slice(0, i) + c + base.slice(i + 1);
        expect(uri(value), value).toBe(referenceUri(value));
      }
  });
});
