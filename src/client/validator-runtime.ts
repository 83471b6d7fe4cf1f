// The runtime the generated validators embed (scripts/generate-validators.ts compiles the contract's
// schemas to straight-line check functions that import these helpers, and bundles both into
// generated/validators.js): the string formats the contract uses, exact to RFC 3339 and RFC 3986
// (ajv-formats' full set would triple the runtime size; tests prove these against their ABNF and
// ajv-formats' full mode), the character-class runs they and the generated pattern matchers read with,
// bounded code-point length checks, own-member reads, and the error list, in Ajv's words, capped at
// MAX_ERRORS with a count of the rest. Nothing here allocates while a value is valid.

/**
 * The most errors a validator keeps (`validate.errors.length <= MAX_ERRORS`): the first ones, in Ajv's
 * order. A check goes on past them, keeping none but counting their locations (`validate.omitted`):
 * whatever a caller decides from the errors (a tolerant reader, a "… N more") is decided on the whole
 * value, in memory that does not grow with it.
 */
export const MAX_ERRORS = 100;

/**
 * The code of the character at `i`, or -1 past the end. Optimized code never reads past the end (a
 * charCodeAt or a table read out of bounds takes a path many times slower): reads that may go past it
 * come here, and loops bound themselves.
 */
const codeAt = (value: string, i: number) => (i < value.length ? value.charCodeAt(i) : -1);

/**
 * A lookup table of ASCII characters: `bits` (1 unless told) at each one's code, added to `table`'s (a
 * fresh one unless told). A code past 127 reads undefined, which `&` takes as 0.
 */
export function asciiTable(chars: string, bits = 1, table: Uint8Array = new Uint8Array(128)): Uint8Array {
  for (let i = 0; i < chars.length; i++) {
    const code = chars.charCodeAt(i);
    table[code] = (table[code] as number) | bits;
  }
  return table;
}

/**
 * The character sets of RFC 3986 a URI is read with, one bit each in URI_TABLE (an enum: the bundler
 * writes the numbers in). The first three nest (a reg-name's characters are userinfo's, which are a
 * query's), so a character has its set's bit and every wider set's.
 */
enum UriSet {
  /** unreserved / sub-delims */
  RegName = 1,
  /** a reg-name's and ":" */
  Userinfo = 2,
  /** userinfo's, "@", "/" and "?": what a path, a query and a fragment hold */
  Query = 4,
  Hex = 8,
  /** what a scheme holds after its first letter */
  Scheme = 16,
  Digit = 32,
  /** Not a set of characters: in a run's sets, percent-encoded characters are part of the run too. */
  PercentEncoded = 64,
  /** A reg-name's character, which userinfo and a query hold too. */
  InRegName = RegName | Userinfo | Query,
}

/** Each ASCII character's UriSet bits: the uri format's sets, which the generated pattern matchers share. */
export const URI_TABLE = /* @__PURE__ */ asciiTable(
  '0123456789',
  UriSet.InRegName | UriSet.Hex | UriSet.Scheme | UriSet.Digit,
  asciiTable(
    'ABCDEFabcdef',
    UriSet.InRegName | UriSet.Hex | UriSet.Scheme,
    asciiTable(
      'GHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz+-.',
      UriSet.InRegName | UriSet.Scheme,
      asciiTable(
        "_~!$&'()*,;=",
        UriSet.InRegName,
        asciiTable(':', UriSet.Userinfo | UriSet.Query, asciiTable('@/?', UriSet.Query)),
      ),
    ),
  ),
);

/** The sets of URI_TABLE the character at `i` is in (0 past the end; undefined, which `&` takes as 0, past ASCII). */
const uriSets = (value: string, i: number) =>
  i < value.length ? (URI_TABLE[value.charCodeAt(i)] as number) : 0;

/**
 * Where the run from `i` of characters whose `table` entry has a bit of `sets` ends: URI_TABLE's sets
 * (and PercentEncoded, for percent-encoded characters too), or a generated pattern's class (bit 1).
 */
export function runEnd(value: string, i: number, sets: number, table = URI_TABLE): number {
  for (;;) {
    // Four characters a step while they are all in the sets (measured faster than one), then one.
    while (
      i + 3 < value.length &&
      (table[value.charCodeAt(i)] as number) &
        (table[value.charCodeAt(i + 1)] as number) &
        (table[value.charCodeAt(i + 2)] as number) &
        (table[value.charCodeAt(i + 3)] as number) &
        sets
    )
      i += 4;
    if (i < value.length && (table[value.charCodeAt(i)] as number) & sets) i++;
    else if (
      sets & UriSet.PercentEncoded &&
      codeAt(value, i) === 37 &&
      uriSets(value, i + 1) & uriSets(value, i + 2) & UriSet.Hex
    )
      i += 3;
    else return i;
  }
}

/** The two ASCII digits at `i` as a number (the caller keeps them inside the string), or -1. */
function twoDigits(value: string, i: number): number {
  const tens = value.charCodeAt(i) - 48;
  const ones = value.charCodeAt(i + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * RFC 3339 `date-time` (section 5.6, the ABNF JSON Schema names): `YYYY-MM-DD`, `T` or `t`, `hh:mm:ss`,
 * an optional fraction, then `Z`, `z` or `±hh:mm`; a day of its month and year, hours 00-23 and minutes
 * 00-59 (in the offset too), seconds 00-60, and 60 only where the time is 23:59:60 in UTC: a leap second
 * an offset brings there makes no hour 24 or minute 60. Read char by char, allocating nothing.
 */
export function dateTime(value: string): boolean {
  const n = value.length;
  if (
    n < 20 ||
    value.charCodeAt(4) !== 45 || // -
    value.charCodeAt(7) !== 45 ||
    (value.charCodeAt(10) | 32) !== 116 || // T t
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
  let i = 19;
  if (value.charCodeAt(i) === 46) {
    // . and at least one digit
    const end = runEnd(value, ++i, UriSet.Digit);
    if (end === i) return false;
    i = end;
  }
  const zone = codeAt(value, i);
  /** Minutes east of UTC. */
  let offset = 0;
  if ((zone | 32) === 122)
    i++; // Z z
  else {
    if ((zone !== 43 && zone !== 45) || i + 6 > n || value.charCodeAt(i + 3) !== 58) return false;
    const hours = twoDigits(value, i + 1);
    const minutes = twoDigits(value, i + 4);
    if ((hours | minutes) < 0 || hours > 23 || minutes > 59) return false;
    // + is 43 and - is 45: 44 - zone is the offset's sign.
    offset = (44 - zone) * (hours * 60 + minutes);
    i += 6;
  }
  const year = century * 100 + yearOfCentury;
  const leapYear = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  // The months of 31 days are the odd ones to July and the even ones from August.
  const days = month === 2 ? (leapYear ? 29 : 28) : 30 + ((month + (month >> 3)) & 1);
  if (
    i !== n ||
    (century | yearOfCentury | month | day | hour | minute | second) < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > days ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  )
    return false;
  // A leap second is the last of the day in UTC (local time less the offset, modulo a day).
  return second < 60 || (hour * 60 + minute - offset + 1440) % 1440 === 1439;
}

/** Whether value[i, end) is an IPv4address: four dot-separated dec-octets (0-255, no leading zero). */
function ipv4(value: string, i: number, end: number): boolean {
  for (let part = 0; part < 4; part++) {
    if (part && codeAt(value, i++) !== 46) return false;
    const first = i;
    let octet = 0;
    while (uriSets(value, i) & UriSet.Digit) octet = octet * 10 + value.charCodeAt(i++) - 48;
    if (i === first || octet > 255 || (i - first > 1 && value.charCodeAt(first) === 48)) return false;
  }
  return i === end;
}

/**
 * Whether value[i, end) is an IPv6address: eight groups of one to four hex digits joined by colons, or
 * fewer around the one `::` that stands for the rest; the last two may be an IPv4address.
 */
function ipv6(value: string, i: number, end: number): boolean {
  let groups = 0;
  let gap = false;
  for (;;) {
    if (!gap && codeAt(value, i) === 58 && codeAt(value, i + 1) === 58) {
      gap = true;
      i += 2;
      if (i === end) break;
    }
    const next = runEnd(value, i, UriSet.Hex);
    if (codeAt(value, next) === 46) {
      if (!ipv4(value, i, end)) return false;
      groups += 2;
      break;
    }
    if (next === i || next - i > 4) return false;
    groups++;
    i = next;
    if (i === end) break;
    if (codeAt(value, i) !== 58) return false;
    // A colon joins two groups; a second one is the gap, read next round.
    if (codeAt(value, i + 1) !== 58) i++;
  }
  return gap ? groups < 8 : groups === 8;
}

/** Whether value[i, end) is an IPvFuture: "v", hex digits, ".", then userinfo's characters (none percent-encoded). */
function ipvFuture(value: string, i: number, end: number): boolean {
  const dot = runEnd(value, i + 1, UriSet.Hex);
  return (
    (codeAt(value, i) | 32) === 118 &&
    dot > i + 1 &&
    codeAt(value, dot) === 46 &&
    end > dot + 1 &&
    runEnd(value, dot + 1, UriSet.Userinfo) === end
  );
}

/**
 * Where an authority whose host runs from `host` to `end` (a reg-name's characters, or "[" where an
 * IP-literal starts) ends: after the host and any port, or -1 if neither is one or what follows cannot.
 * A host of a reg-name's characters is one whatever it holds: "01.2.3.4" or "256.256.256.256", which no
 * IPv4address is, are reg-names (RFC 3986 §3.2.2), as the JSON-Schema-Test-Suite holds too.
 */
function authorityEnd(value: string, host: number, end: number): number {
  let next = codeAt(value, end);
  if (end === host && next === 91) {
    end = value.indexOf(']', host);
    if (end < 0 || !(ipv6(value, host + 1, end) || ipvFuture(value, host + 1, end))) return -1;
    next = codeAt(value, ++end);
  }
  if (next === 58) {
    end = runEnd(value, end + 1, UriSet.Digit);
    next = codeAt(value, end);
  }
  // The path that follows an authority is empty or starts with "/"; else a query or fragment, or the end.
  return next < 0 || next === 47 || next === 63 || next === 35 ? end : -1;
}

/** What uri() is reading: each part's characters run to one that ends it or cannot be in it. */
enum UriPart {
  /** After "//": userinfo or the host, which a colon or "@" tells apart. */
  Authority,
  /** After userinfo's "@". */
  Host,
  Path,
  Fragment,
}

/**
 * RFC 3986 `URI` (section 3): scheme ":" hier-part ["?" query] ["#" fragment], where hier-part is "//"
 * authority and a path, or a path alone. Read char by char, in time linear in its length (a character
 * once, but a port's or userinfo's after a colon twice), allocating nothing.
 */
export function uri(value: string): boolean {
  // A letter: A-Z and a-z are the only codes that `| 32` puts in a-z.
  const first = codeAt(value, 0) | 32;
  let i = 1;
  while (uriSets(value, i) & UriSet.Scheme) i++;
  if (first < 97 || first > 122 || codeAt(value, i++) !== 58) return false;
  let part = UriPart.Path;
  if (codeAt(value, i) === 47 && codeAt(value, i + 1) === 47) {
    part = UriPart.Authority;
    i += 2;
  }
  let host = i;
  // Every part is read by the one runEnd call below: optimized code has it inlined here, where it would
  // not have a second call inlined too.
  for (;;) {
    // A path's characters and a query's differ only by "?", which starts the query.
    const end = runEnd(
      value,
      i,
      UriSet.PercentEncoded | (part < UriPart.Path ? UriSet.RegName : UriSet.Query),
    );
    const next = codeAt(value, end);
    if (part === UriPart.Authority) {
      // A colon ends the host (a port follows) unless it is userinfo's, which the one "@" an authority
      // may hold ends.
      const user = next === 58 ? runEnd(value, end, UriSet.Userinfo | UriSet.PercentEncoded) : end;
      if (codeAt(value, user) === 64) {
        part = UriPart.Host;
        i = user + 1;
        host = i;
        continue;
      }
    }
    if (part < UriPart.Path) {
      i = authorityEnd(value, host, end);
      if (i < 0) return false;
      part = UriPart.Path;
    } else if (next === 35 && part === UriPart.Path) {
      part = UriPart.Fragment;
      i = end + 1;
    } else return end === value.length;
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
 * Ajv's words for each keyword: the param that holds the one value that varies (the type, the allowed
 * values, the limit, the pattern, the format or the missing property), the message, with `$` where that
 * value goes, and the comparison that maximum and minimum name too.
 */
const WORDS: Record<string, readonly [param: string, message: string, comparison?: string]> = {
  type: ['type', 'must be $'],
  enum: ['allowedValues', 'must be equal to one of the allowed values'],
  maximum: ['limit', 'must be <= $', '<='],
  minimum: ['limit', 'must be >= $', '>='],
  maxLength: ['limit', 'must NOT have more than $ characters'],
  minLength: ['limit', 'must NOT have fewer than $ characters'],
  pattern: ['pattern', 'must match pattern "$"'],
  format: ['format', 'must match format "$"'],
  required: ['missingProperty', "must have required property '$'"],
  anyOf: ['', 'must match a schema in anyOf'],
};

/** What a full list left out: how many locations, and the last one (a location's errors come together). */
interface LeftOut {
  count: number;
  last: string;
}
/** Each full list's LeftOut (a list is made only for an invalid value, and this only once it is full). */
const leftOut = new WeakMap<ValidationError[], LeftOut>();

/** Counts an error at `path` that the full `list` does not keep: a new location unless it is the last one's. */
function leaveOut(list: ValidationError[], path: string): void {
  const out = leftOut.get(list);
  if (!out) leftOut.set(list, { count: list[list.length - 1]?.instancePath === path ? 0 : 1, last: path });
  else if (out.last !== path) {
    out.count++;
    out.last = path;
  }
}

/** Records a failed keyword at `instancePath` (or counts it, once `errors` is full), in Ajv's words. Returns the list. */
export function fail(
  errors: Errors,
  instancePath: string,
  keyword: string,
  value?: unknown,
): ValidationError[] {
  const list = errors ?? [];
  if (list.length < MAX_ERRORS) {
    const [param, words, comparison] = WORDS[keyword] as (typeof WORDS)[string];
    const params = comparison ? { comparison, limit: value } : param ? { [param]: value } : {};
    // A function, so that no `$` in the value is read as a replacement pattern.
    list.push({ instancePath, keyword, params, message: words.replace('$', () => String(value)) });
  } else leaveOut(list, instancePath);
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

/**
 * Appends a part's errors (paths relative to the part, at `prefix`), as many as fit, counting the rest
 * and those the part itself left out; returns the list.
 */
export function merge(errors: Errors, part: ValidationError[], prefix: string): ValidationError[] {
  // The first part's list is taken over as it is.
  const list = errors ?? part;
  for (const error of part) {
    const path = prefix + error.instancePath;
    if (list === part || list.length < MAX_ERRORS) {
      error.instancePath = path;
      if (list !== part) list.push(error);
    } else leaveOut(list, path);
  }
  const out = leftOut.get(part);
  if (out && list === part) out.last = prefix + out.last;
  else if (out) {
    // The part counted on from its last error kept, which is this list's last location by now.
    const mine = leftOut.get(list) ?? leftOut.set(list, { count: 0, last: '' }).get(list);
    (mine as LeftOut).count += out.count;
    (mine as LeftOut).last = prefix + out.last;
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

/**
 * A validator: true or false, with Ajv-style `errors` after each call (null when valid, at most
 * MAX_ERRORS) and `omitted`, how many more locations failed than those errors name (0 unless it is full).
 */
export function validator(check: Check) {
  const validate = (data: unknown): boolean => {
    const errors = check(data);
    validate.errors = errors;
    validate.omitted = errors === null ? 0 : (leftOut.get(errors)?.count ?? 0);
    return errors === null;
  };
  validate.errors = null as Errors;
  validate.omitted = 0;
  return validate;
}
