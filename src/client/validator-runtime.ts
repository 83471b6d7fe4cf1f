// The runtime the generated validators embed (scripts/generate-validators.ts compiles the contract's
// schemas to straight-line check functions that import these helpers, and bundles both into
// generated/validators.js): the string formats the contract uses (ajv-formats' full set would triple
// the runtime size; a test proves these agree with its full mode), bounded code-point length checks,
// own-member reads, and the error list, in Ajv's words, capped at MAX_ERRORS. Nothing here allocates
// while a value is valid.

/**
 * The most errors a validator collects (`validate.errors.length <= MAX_ERRORS`): the first ones, in
 * Ajv's order. Once a check has collected this many it stops looking (the verdict is already false),
 * so a hostile body of a million bad array items costs what a hundred do.
 */
export const MAX_ERRORS = 100;

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(value: string, i: number): number {
  const tens = value.charCodeAt(i) - 48;
  const ones = value.charCodeAt(i + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * RFC 3339 `date-time` (section 5.6): `YYYY-MM-DD`, `T`, `t` or a space, `hh:mm:ss`, an optional
 * fraction, then `Z`, `z` or `±hh:mm`; calendar and clock ranges, and leap seconds only at 23:59:60 UTC.
 * Read char by char (what /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/
 * matches), allocating nothing.
 */
export function dateTime(value: string): boolean {
  const n = value.length;
  const separator = value.charCodeAt(10);
  if (
    n < 20 ||
    value.charCodeAt(4) !== 45 || // -
    value.charCodeAt(7) !== 45 ||
    (separator !== 84 && separator !== 116 && separator !== 32) || // T t space
    value.charCodeAt(13) !== 58 || // :
    value.charCodeAt(16) !== 58
  )
    return false;
  const century = twoDigits(value, 0);
  const yearOfCentury = twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  if ((century | yearOfCentury | month | day | hour | minute | second) < 0) return false;
  let i = 19;
  if (value.charCodeAt(i) === 46) {
    // . and at least one digit
    const first = ++i;
    while (i < n && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
    if (i === first) return false;
  }
  const zone = value.charCodeAt(i);
  let sign = 1;
  let offsetHours = 0;
  let offsetMinutes = 0;
  if (zone === 90 || zone === 122) {
    // Z z
    if (i + 1 !== n) return false;
  } else if (zone === 43 || zone === 45) {
    // + - then hh:mm
    if (i + 6 !== n || value.charCodeAt(i + 3) !== 58) return false;
    offsetHours = twoDigits(value, i + 1);
    offsetMinutes = twoDigits(value, i + 4);
    if ((offsetHours | offsetMinutes) < 0) return false;
    if (zone === 45) sign = -1;
  } else return false;
  const year = century * 100 + yearOfCentury;
  const leapYear = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leapYear ? 29 : (DAYS[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > days || offsetHours > 23 || offsetMinutes > 59)
    return false;
  if (hour <= 23 && minute <= 59 && second <= 59) return true;
  const utcMinute = minute - offsetMinutes * sign;
  const utcHour = hour - offsetHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second === 60;
}

/** A lookup table of ASCII characters: 1 at each one's code (a code past 127 reads undefined). */
export function asciiTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** What a URI's scheme is made of after its first letter. */
const SCHEME = /* @__PURE__ */ asciiTable(`+-.${ALPHANUMERIC}`);
/** What a URI holds as it is after its scheme: RFC 3986's unreserved and reserved characters. */
const URI_CHARS = /* @__PURE__ */ asciiTable(`-._~!$&'()*+,;=:@/?#[]${ALPHANUMERIC}`);
const HEX = /* @__PURE__ */ asciiTable('0123456789ABCDEFabcdef');

/**
 * RFC 3986 `uri`: absolute (with a scheme), no spaces, no stray `%`. Read char by char (what
 * /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/ matches),
 * allocating nothing.
 */
export function uri(value: string): boolean {
  const n = value.length;
  // A letter: A-Z and a-z are the only codes that `| 32` puts in a-z.
  const first = value.charCodeAt(0) | 32;
  if (first < 97 || first > 122) return false;
  const scheme = SCHEME;
  let i = 1;
  // The scheme runs to the first colon.
  while (i < n && value.charCodeAt(i) !== 58) if (scheme[value.charCodeAt(i++)] !== 1) return false;
  if (i === n) return false;
  const chars = URI_CHARS;
  const hex = HEX;
  i++;
  for (;;) {
    // Four characters a step while they are all plain (measured faster than one), then one. A code
    // past the table reads undefined, which `&` takes as 0.
    while (
      i + 3 < n &&
      ((chars[value.charCodeAt(i)] as number) &
        (chars[value.charCodeAt(i + 1)] as number) &
        (chars[value.charCodeAt(i + 2)] as number) &
        (chars[value.charCodeAt(i + 3)] as number)) ===
        1
    )
      i += 4;
    if (i >= n) return true;
    const c = value.charCodeAt(i);
    if (chars[c] === 1) i++;
    // Else only a % followed by two hex digits.
    else if (c === 37 && hex[value.charCodeAt(i + 1)] === 1 && hex[value.charCodeAt(i + 2)] === 1) i += 3;
    else return false;
  }
}

/**
 * OpenAPI's `int64`: an integer from -2^63 to 2^63 - 1. A number past 2^53 has lost digits on its way
 * through JSON.parse: it is checked as the value it was read as.
 */
export const int64 = (value: number): boolean =>
  Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63;

/**
 * Whether a string has more than `limit` code points (JSON Schema's maxLength). Reads at most
 * `limit + 1` code points: a huge string costs what a short one does.
 */
export function tooLong(value: string, limit: number): boolean {
  if (value.length <= limit) return false;
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    if (++count > limit) return true;
  }
  return false;
}

/** Whether a string has fewer than `limit` code points (JSON Schema's minLength), in bounded work. */
export function tooShort(value: string, limit: number): boolean {
  if (value.length < limit) return true;
  if (value.length >= 2 * limit) return false;
  return !tooLong(value, limit - 1);
}

/** One validation error, as Ajv reports it (the fields this package reads). */
export interface ValidationError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

/** A check's errors so far: null while there are none (no list is made for a valid value). */
export type Errors = ValidationError[] | null;

/** A compiled schema: the errors of a value, with paths relative to it, or null when it is valid. */
export type Check = (data: unknown) => Errors;

/**
 * Records a failed keyword at `instancePath` (unless `errors` is full), with Ajv's params and words
 * made from the one value that varies: the type, the allowed values, the limit, the pattern, the
 * format or the missing property. Returns the list.
 */
export function fail(
  errors: Errors,
  instancePath: string,
  keyword: string,
  value?: unknown,
): ValidationError[] {
  const list = errors ?? [];
  if (list.length >= MAX_ERRORS) return list;
  let params: Record<string, unknown>;
  let message: string;
  switch (keyword) {
    case 'type':
      params = { type: value };
      message = `must be ${value}`;
      break;
    case 'enum':
      params = { allowedValues: value };
      message = 'must be equal to one of the allowed values';
      break;
    case 'maximum':
    case 'minimum': {
      const comparison = keyword === 'maximum' ? '<=' : '>=';
      params = { comparison, limit: value };
      message = `must be ${comparison} ${value}`;
      break;
    }
    case 'maxLength':
    case 'minLength':
      params = { limit: value };
      message = `must NOT have ${keyword === 'maxLength' ? 'more' : 'fewer'} than ${value} characters`;
      break;
    case 'pattern':
      params = { pattern: value };
      message = `must match pattern "${value}"`;
      break;
    case 'format':
      params = { format: value };
      message = `must match format "${value}"`;
      break;
    case 'required':
      params = { missingProperty: value };
      message = `must have required property '${value}'`;
      break;
    default:
      params = {};
      message = 'must match a schema in anyOf';
  }
  list.push({ instancePath, keyword, params, message });
  return list;
}

/** An object with no members, inherited ones included: the prototype prototypeOf() gives one that has none. */
const NOTHING: object = /* @__PURE__ */ Object.create(null);

/**
 * An object's prototype, for the generated code's `name in prototype`: a JSON object's members are all
 * its own, and one it inherits (`toString`, `constructor`, or one a polluted Object.prototype lends) is
 * not one of them. Only a name the prototype chain has needs ownValue(), which is slower than a member read.
 */
export const prototypeOf = (data: object): object => Object.getPrototypeOf(data) ?? NOTHING;

/** The value of an object's own property, or undefined where it has none of its own (an inherited one aside). */
export const ownValue = (data: object, name: string): unknown =>
  Object.hasOwn(data, name) ? (data as Record<string, unknown>)[name] : undefined;

/** Records each of `names` that `data` (an object at `path`) lacks, in order: Ajv's `required`. */
export function required(
  errors: Errors,
  path: string,
  data: Record<string, unknown>,
  names: readonly string[],
): Errors {
  for (const name of names)
    if (ownValue(data, name) === undefined) errors = fail(errors, path, 'required', name);
  return errors;
}

/** Ajv's test that a value is an object (the same expression, so the verdicts match). */
export const isObject = (x: unknown): boolean => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Whether a check has collected all the errors it may: its loops stop there. */
export const full = (errors: Errors): boolean => errors !== null && errors.length >= MAX_ERRORS;

/** Appends a part's errors (paths relative to the part, at `prefix`), as many as fit; returns the list. */
export function merge(errors: Errors, part: ValidationError[], prefix: string): ValidationError[] {
  // The first part's list is taken over as it is.
  const list = errors ?? part;
  for (const error of part) {
    if (list !== part && list.length >= MAX_ERRORS) break;
    if (prefix) error.instancePath = prefix + error.instancePath;
    if (list !== part) list.push(error);
  }
  return list;
}

/** `anyOf: [X, {type: 'null'}]` failed at `path` on a value that is not null: X's errors, then Ajv's two. */
export function notNullable(errors: Errors, part: ValidationError[], path: string): ValidationError[] {
  return fail(fail(merge(errors, part, path), path, 'type', 'null'), path, 'anyOf');
}

/** `anyOf` failed at `path`: each branch's errors, in order, then Ajv's own. */
export function noneOf(errors: Errors, path: string, ...branches: ValidationError[][]): ValidationError[] {
  let list = errors ?? [];
  for (const branch of branches) list = merge(list, branch, path);
  return fail(list, path, 'anyOf');
}

/** A validator: true or false, with Ajv-style `errors` after each call (null when valid, at most MAX_ERRORS). */
export function validator(check: Check) {
  const validate = (data: unknown): boolean => {
    validate.errors = check(data);
    return validate.errors === null;
  };
  validate.errors = null as Errors;
  return validate;
}
