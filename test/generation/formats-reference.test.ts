// The char-by-char date-time and uri checks against regular expressions, on generated strings aimed at
// their edges (leap years and seconds, time-zone offsets, fractions, separators, non-ASCII digits;
// authorities, IP literals, dotted quads, percent-encoding, stray characters): for date-time, the
// regular expression they replaced, less what it let through; for uri, RFC 3986's ABNF written as one,
// and the one they replaced, which admits all they admit.
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

/**
 * RFC 3339's `date-time`: the check as it was, less what it let through. Its ABNF has `T` (either case),
 * never a space, and hours 00-23 and minutes 00-59 always: a leap second that an offset brings to 23:59
 * in UTC does not make hour 24 or minute 60 a time.
 */
function exactDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  return referenceDateTime(value) && value[10] !== ' ' && Number(m?.[4]) <= 23 && Number(m?.[5]) <= 59;
}

/** The uri check as it was: what it admits, every URI does (and more, which RFC 3986 does not admit). */
const referenceUri = (value: string) =>
  /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/.test(value);

/** RFC 3986's ABNF for `URI` (section 3 and appendix A), rule by rule, as one regular expression. */
const ABNF = (() => {
  const unreserved = 'A-Za-z0-9\\-._~';
  const subDelims = "!$&'()*+,;=";
  const pctEncoded = '%[0-9A-Fa-f]{2}';
  const pchar = `(?:[${unreserved}${subDelims}:@]|${pctEncoded})`;
  const decOctet = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])';
  const ipv4 = `${decOctet}\\.${decOctet}\\.${decOctet}\\.${decOctet}`;
  const h16 = '[0-9A-Fa-f]{1,4}';
  const ls32 = `(?:${h16}:${h16}|${ipv4})`;
  const upTo = (n: number) => `(?:(?:${h16}:){0,${n}}${h16})?`;
  const ipv6 = [
    `(?:${h16}:){6}${ls32}`,
    `::(?:${h16}:){5}${ls32}`,
    `(?:${h16})?::(?:${h16}:){4}${ls32}`,
    `${upTo(1)}::(?:${h16}:){3}${ls32}`,
    `${upTo(2)}::(?:${h16}:){2}${ls32}`,
    `${upTo(3)}::${h16}:${ls32}`,
    `${upTo(4)}::${ls32}`,
    `${upTo(5)}::${h16}`,
    `${upTo(6)}::`,
  ].join('|');
  const ipvFuture = `[Vv][0-9A-Fa-f]+\\.[${unreserved}${subDelims}:]+`;
  const host = `(?:\\[(?:${ipv6}|${ipvFuture})\\]|${ipv4}|(?:[${unreserved}${subDelims}]|${pctEncoded})*)`;
  const authority = `(?:(?:[${unreserved}${subDelims}:]|${pctEncoded})*@)?${host}(?::[0-9]*)?`;
  const segment = `${pchar}*`;
  const hierPart = `(?://${authority}(?:/${segment})*|/(?:${pchar}+(?:/${segment})*)?|${pchar}+(?:/${segment})*|)`;
  const query = `(?:${pchar}|[/?])*`;
  return {
    uri: new RegExp(`^[A-Za-z][A-Za-z0-9+\\-.]*:${hierPart}(?:\\?${query})?(?:#${query})?$`),
  };
})();

/**
 * RFC 3986's `URI`, all of it: a host of four dot-separated runs of digits that is no IPv4address
 * ("01.2.3.4", "256.256.256.256") is a reg-name, as the JSON-Schema-Test-Suite (2020-12,
 * optional/format/uri) holds.
 */
const exactUri = (value: string): boolean => ABNF.uri.test(value);

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

/** Hour 24 or minute 60 with a leap second, in time zones that bring some of them to 23:59 UTC. */
const pastTheClock = fc
  .tuple(
    fc.constantFrom('24:59', '24:00', '23:60', '24:60', '00:60'),
    fc.constantFrom('60', '59', '00'),
    fc.constantFrom('Z', '+01:00', '+00:01', '-01:00', '+01:01', '-00:59'),
  )
  .map(([clock, second, zone]) => `2016-12-31T${clock}:${second}${zone}`);

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
      expect(dateTime(value), value).toBe(exactDateTime(value));
  });

  it('agrees on generated date-times, valid and not', () => {
    fc.assert(
      fc.property(fc.oneof(candidates, leapSeconds, pastTheClock, mutated), (value) => {
        expect(dateTime(value)).toBe(exactDateTime(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        expect(dateTime(value)).toBe(exactDateTime(value));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    [
      'hour 24 with a leap second an offset brings to 23:59 UTC',
      { given: '2016-01-01T24:59:60+01:00', want: false },
    ],
    ['hour 24 with a leap second west of UTC', { given: '2016-12-31T24:59:60+01:00', want: false }],
    ['minute 60 with a leap second', { given: '2016-12-31T23:60:60+00:01', want: false }],
    ['a space for the T', { given: '2016-10-21 11:37:03Z', want: false }],
    ['its neighbour: 00:59:60 an hour east of UTC', { given: '2017-01-01T00:59:60+01:00', want: true }],
    ['its neighbour: 23:59:60 UTC', { given: '2016-12-31T23:59:60Z', want: true }],
    ['its neighbour: 23:59:60 in lower case', { given: '2016-12-31t23:59:60z', want: true }],
  ])('is stricter than the regular expression where RFC 3339 is: %s', (_, { given, want }) => {
    expect(referenceDateTime(given)).toBe(true);
    expect(dateTime(given)).toBe(want);
  });

  it('finds leap seconds where the regular expression did, in every time zone', () => {
    let valid = 0;
    fc.assert(
      fc.property(leapSeconds, (value) => {
        const verdict = dateTime(value);
        expect(verdict).toBe(referenceDateTime(value));
        if (verdict && value.slice(17, 19) === '60') valid++;
      }),
      { numRuns: 2000 },
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
const units = (maxLength: number) => fc.array(uriUnits, { maxLength }).map((parts) => parts.join(''));
const schemes = fc.constantFrom(
  'http:',
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
);

const h16 = fc.stringMatching(/^[0-9a-fA-F]{1,4}$/);
/** IPv6 addresses in each form the ABNF has: eight groups, or fewer around one `::`, an IPv4 tail or not. */
const ipv6Valid = fc
  .tuple(fc.array(h16, { maxLength: 8 }), fc.array(h16, { maxLength: 8 }), fc.boolean(), fc.boolean())
  .map(([left, right, gap, tail]) => {
    const ipv4 = tail ? ['192.0.2.1'] : [];
    const room = (gap ? 7 : 8) - ipv4.length;
    if (!gap)
      return [...[...left, ...right, '0', '0', '0', '0', '0', '0', '0', '0'].slice(0, room), ...ipv4].join(
        ':',
      );
    const before = left.slice(0, room);
    const after = right.slice(0, room - before.length);
    return `${before.join(':')}::${[...after, ...ipv4].join(':')}`;
  });
/** Groups of hex digits (a stray one now and then) joined by colons, with or without one or two `::`, and maybe an IPv4 tail. */
const ipv6Stray = fc
  .tuple(
    fc.array(fc.oneof(h16, fc.constantFrom('', '12345', 'g', '0')), { maxLength: 9 }),
    fc.array(fc.nat(9), { maxLength: 2 }),
    fc.constantFrom('', '', '1.2.3.4', '255.255.255.255', '01.2.3.4', '1.2.3', '256.1.1.1'),
  )
  .map(([groups, gaps, tail]) => {
    const parts = [...groups, ...(tail ? [tail] : [])];
    for (const at of gaps) parts.splice(Math.min(at, parts.length), 0, '');
    return parts.join(':');
  });
/** A valid IPv6 address with a character replaced, inserted or removed. */
const ipv6Mutated = fc
  .tuple(ipv6Valid, fc.nat(), fc.constantFrom(':', '.', '0', 'f', 'g', ''), fc.boolean())
  .map(([literal, at, c, insert]) => {
    const i = at % (literal.length + 1);
    return literal.slice(0, i) + c + literal.slice(insert ? i : i + 1);
  });
const ipv6Like = fc.oneof(ipv6Valid, ipv6Stray, ipv6Mutated);
/** Hosts: names, dotted quads valid and not, IP literals valid and not. */
const hosts = fc.oneof(
  fc.constantFrom('example.com', 'a', '', 'xn--a.b', '%41b', 'a%zz', 'exa mple.com', 'a_b~c!'),
  fc.constantFrom(
    '192.168.1.1',
    '192.168.01.1',
    '1.2.3.256',
    '0.0.0.0',
    '255.255.255.255',
    '01.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '1..2.3',
    '1.2.3.',
    '1.2.3.4a',
  ),
  ipv6Like.map((literal) => `[${literal}]`),
  fc.constantFrom(
    '[v7.a:b]',
    '[V1F.x]',
    '[v.x]',
    '[v1.]',
    '[v1.%41]',
    '[::1',
    '[]',
    '[::1]]',
    '[::1%25eth0]',
  ),
);
/** URIs with an authority, built part by part: userinfo, host, port, path, query, fragment. */
const authorityUris = fc
  .tuple(
    fc.oneof(schemes, fc.constant('https:')),
    fc.constantFrom('//', '//', '/', ''),
    fc.option(fc.oneof(units(6), fc.constantFrom('user', 'user:pass', 'a:b:c', '%41', 'us[er', 'a@b')), {
      nil: undefined,
    }),
    hosts,
    fc.option(fc.oneof(fc.stringMatching(/^\d{0,5}$/), fc.constantFrom('8a', '-1', ' 80', '80:80', '%38')), {
      nil: undefined,
    }),
    units(12),
  )
  .map(([scheme, slashes, user, host, port, rest]) =>
    [
      scheme,
      slashes,
      user === undefined ? '' : `${user}@`,
      host,
      port === undefined ? '' : `:${port}`,
      rest,
    ].join(''),
  );
const uris = fc
  .tuple(fc.oneof(schemes, fc.constant('https://')), fc.array(uriUnits, { maxLength: 30 }))
  .map(([scheme, rest]) => scheme + rest.join(''));

describe('uri, char by char, as RFC 3986 has it', () => {
  it('agrees with its ABNF on generated URIs, valid and not, and admits nothing the old check did not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          uris,
          authorityUris,
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.string({ unit: 'binary', maxLength: 30 }),
        ),
        (value) => {
          expect(uri(value)).toBe(exactUri(value));
          if (uri(value)) expect(referenceUri(value)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads the IPv6 forms as the ABNF does', () => {
    let valid = 0;
    fc.assert(
      fc.property(ipv6Like, (literal) => {
        const verdict = uri(`http://[${literal}]/`);
        expect(verdict, literal).toBe(exactUri(`http://[${literal}]/`));
        if (verdict) valid++;
      }),
      { numRuns: 2000 },
    );
    // The generator reaches both: a little over a quarter are addresses.
    expect(valid).toBeGreaterThan(250);
    expect(valid).toBeLessThan(4500);
  });

  it('agrees on a stray character at every position of a long URI (the four-at-a-time scan and its tail)', () => {
    const base =
      'https://user:pw@conversations.twilio.com:443/v1/Services/ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Bindings/%41b?a=b#c';
    for (let i = 0; i <= base.length; i++)
      for (const c of [' ', '%', '%4', 'é', '"', '', '[', '#', '@', ':']) {
        const value = base.slice(0, i) + c + base.slice(i + 1);
        expect(uri(value), value).toBe(exactUri(value));
      }
  });

  it.each([
    ['userinfo with a bracket', { given: 'http://us[er@example.com/', want: false }],
    ['userinfo with a space', { given: 'http://us er@example.com/', want: false }],
    ['userinfo with a stray %', { given: 'http://user%zz@example.com/', want: false }],
    ['two @', { given: 'http://a@b@example.com/', want: false }],
    ['its neighbour: user and password', { given: 'http://user:pa%20ss@example.com/', want: true }],
    ['its neighbour: empty userinfo', { given: 'http://@example.com/', want: true }],
    ['a port with a letter', { given: 'http://example.com:8a/', want: false }],
    ['a negative port', { given: 'http://example.com:-1/', want: false }],
    ['two ports', { given: 'http://example.com:80:80/', want: false }],
    ['its neighbour: a port', { given: 'http://example.com:8080/', want: true }],
    ['its neighbour: an empty port', { given: 'http://example.com:/', want: true }],
    // No IPv4address, so a reg-name (RFC 3986 §3.2.2; the JSON-Schema-Test-Suite, 2020-12 optional/format/uri).
    ['a dotted quad with a leading zero: a reg-name', { given: 'http://01.2.3.4/', want: true }],
    ['a dotted quad past 255: a reg-name', { given: 'http://256.256.256.256/', want: true }],
    ['a dotted quad with a leading zero in the middle', { given: 'http://192.168.01.1/', want: true }],
    ['a dotted quad with an octet past 255', { given: 'http://1.2.3.256/', want: true }],
    ['a dotted quad with leading zeros', { given: 'http://001.2.3.4/', want: true }],
    ['its neighbour: an IPv4 address', { given: 'http://192.168.1.1/', want: true }],
    ['its neighbour: 0.0.0.0', { given: 'http://0.0.0.0/', want: true }],
    ['its neighbour: a name of three numbers', { given: 'http://1.2.3/', want: true }],
    ['its neighbour: a name of five numbers', { given: 'http://1.2.3.4.5/', want: true }],
    ['a bracket in a path segment', { given: 'http://example.com/a[b]', want: false }],
    ['a bracket in a path without authority', { given: 'mailto:[a]', want: false }],
    ['a bracket in the query', { given: 'http://example.com/?a=[1]', want: false }],
    ['a second #', { given: 'http://example.com/#a#b', want: false }],
    ['its neighbour: an IPv6 literal', { given: 'http://[::1]:80/a', want: true }],
    [
      'its neighbour: an IPv6 literal with an IPv4 tail',
      { given: 'http://[::ffff:192.168.1.1]/', want: true },
    ],
    ['its neighbour: an IPvFuture literal', { given: 'http://[v7.a:b]/', want: true }],
    [
      'its neighbour: ? and / in a query and a fragment',
      { given: 'http://example.com/?a/b?c#d/e?f', want: true },
    ],
    ['an IPv6 literal of nine groups', { given: 'http://[1:2:3:4:5:6:7:8:9]/', want: false }],
    ['an IPv6 literal with two ::', { given: 'http://[1::2::3]/', want: false }],
    ['an IPv6 literal with a zone', { given: 'http://[fe80::1%25eth0]/', want: false }],
    [
      'an IPv6 literal with a leading zero in its IPv4 tail',
      { given: 'http://[::ffff:01.2.3.4]/', want: false },
    ],
  ])('%s', (_, { given, want }) => {
    expect(uri(given)).toBe(want);
    expect(exactUri(given)).toBe(want);
  });
});
