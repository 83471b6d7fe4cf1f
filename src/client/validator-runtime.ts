// The runtime the generated validators embed, as plain ES modules: the two string formats the
// contract uses (ajv-formats' full set would triple the runtime size; a test proves these agree
// with its full mode) and the code-point length JSON Schema's minLength/maxLength count.

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** RFC 3339 `date-time` (section 5.6): calendar and clock ranges, and leap seconds only at 23:59:60 UTC. */
export function dateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
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

// RFC 3986 URI: a scheme, then only unreserved, reserved and well-formed percent-encoded characters.
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;

/** RFC 3986 `uri`: absolute (with a scheme), no spaces, no stray `%`. */
export function uri(value: string): boolean {
  return URI.test(value);
}

export const formats = { 'date-time': dateTime, uri };

/** A string's length in Unicode code points, as JSON Schema counts it (Ajv's ucs2length). */
export function ucs2length(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}
