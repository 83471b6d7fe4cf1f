// The runtime the generated validators embed (scripts/generate-validators.ts bundles this file into
// generated/validators.js with the contract's schemas as rules): the one function that checks a value
// against a rule, in Ajv's keyword order and with Ajv's words, the string formats the contract uses
// (ajv-formats' full set would triple the runtime size; a test proves these agree with its full mode),
// and bounded code-point length checks.

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

/** OpenAPI's `int64`: an integer JSON can carry exactly (JavaScript's safe integers lie well inside int64). */
export const int64 = (value: number): boolean => Number.isSafeInteger(value);

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

/** Ajv's words for a failed keyword, so every message reads as it did with Ajv. */
function words(keyword: string, params: Record<string, unknown>): string {
  switch (keyword) {
    case 'type':
      return `must be ${params.type}`;
    case 'enum':
      return 'must be equal to one of the allowed values';
    case 'maximum':
    case 'minimum':
      return `must be ${params.comparison} ${params.limit}`;
    case 'maxLength':
    case 'minLength':
      return `must NOT have ${keyword === 'maxLength' ? 'more' : 'fewer'} than ${params.limit} characters`;
    case 'pattern':
      return `must match pattern "${params.pattern}"`;
    case 'format':
      return `must match format "${params.format}"`;
    case 'required':
      return `must have required property '${params.missingProperty}'`;
    default:
      return 'must match a schema in anyOf';
  }
}

/** Records a failed keyword at `path` + `key` (joined only here, on failure). */
function fail(
  errors: ValidationError[],
  path: string,
  key: string,
  keyword: string,
  params: Record<string, unknown>,
) {
  errors.push({ instancePath: path + key, keyword, params, message: words(keyword, params) });
}

/**
 * A schema compiled to data (by scripts/generate-validators.ts): `type` as written, and each keyword
 * the contract uses. `nullable` is `anyOf: [X, {type: 'null'}]`; `properties` carry their JSON-pointer key.
 */
export interface Rule {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  nullable?: Rule;
  anyOf?: readonly Rule[];
  maximum?: number;
  minimum?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: RegExp;
  format?: 'date-time' | 'uri' | 'int64';
  items?: Rule;
  required?: readonly string[];
  properties?: readonly (readonly [name: string, key: string, rule: Rule])[];
}

/** Ajv's test that a value has a JSON type (the same expressions, so the verdicts match). */
function is(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && !(value % 1) && !Number.isNaN(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

const FORMATS: Record<string, (value: never) => boolean> = { 'date-time': dateTime, uri, int64 };

/** Checks `value` (at `path` + `key`) against a rule; pushes each failed keyword, in Ajv's order. */
export function check(
  value: unknown,
  rule: Rule,
  errors: ValidationError[],
  path: string,
  key: string,
): void {
  const { type } = rule;
  if (type !== undefined && !(typeof type === 'string' ? is(value, type) : type.some((t) => is(value, t))))
    fail(errors, path, key, 'type', { type });
  // Keywords for every type first (enum, anyOf), then each type's own.
  if (rule.enum && !rule.enum.includes(value)) fail(errors, path, key, 'enum', { allowedValues: rule.enum });
  if (rule.nullable && value !== null) {
    const before = errors.length;
    check(value, rule.nullable, errors, path, key);
    if (errors.length > before) {
      fail(errors, path, key, 'type', { type: 'null' });
      fail(errors, path, key, 'anyOf', {});
    }
  }
  if (rule.anyOf) anyOf(value, rule.anyOf, errors, path, key);
  if (typeof value === 'number') numberKeywords(value, rule, errors, path, key);
  else if (typeof value === 'string') stringKeywords(value, rule, errors, path, key);
  else if (Array.isArray(value)) {
    if (rule.items)
      for (let i = 0; i < value.length; i++) check(value[i], rule.items, errors, path + key, `/${i}`);
  } else if (value && typeof value === 'object')
    objectKeywords(value as Record<string, unknown>, rule, errors, path + key);
}

function anyOf(
  value: unknown,
  branches: readonly Rule[],
  errors: ValidationError[],
  path: string,
  key: string,
) {
  const before = errors.length;
  for (const branch of branches) {
    const mark = errors.length;
    check(value, branch, errors, path, key);
    // One branch that adds no error is enough: the others' errors are dropped.
    if (errors.length === mark) {
      errors.length = before;
      return;
    }
  }
  fail(errors, path, key, 'anyOf', {});
}

function numberKeywords(value: number, rule: Rule, errors: ValidationError[], path: string, key: string) {
  const { maximum, minimum, format } = rule;
  if (maximum !== undefined && (value > maximum || Number.isNaN(value)))
    fail(errors, path, key, 'maximum', { comparison: '<=', limit: maximum });
  if (minimum !== undefined && (value < minimum || Number.isNaN(value)))
    fail(errors, path, key, 'minimum', { comparison: '>=', limit: minimum });
  if (format === 'int64' && !int64(value)) fail(errors, path, key, 'format', { format });
}

function stringKeywords(value: string, rule: Rule, errors: ValidationError[], path: string, key: string) {
  const { maxLength, minLength, pattern, format } = rule;
  if (maxLength !== undefined && tooLong(value, maxLength))
    fail(errors, path, key, 'maxLength', { limit: maxLength });
  if (minLength !== undefined && tooShort(value, minLength))
    fail(errors, path, key, 'minLength', { limit: minLength });
  if (pattern && !pattern.test(value)) fail(errors, path, key, 'pattern', { pattern: pattern.source });
  if (format && format !== 'int64' && !FORMATS[format]?.(value as never))
    fail(errors, path, key, 'format', { format });
}

function objectKeywords(value: Record<string, unknown>, rule: Rule, errors: ValidationError[], here: string) {
  for (const name of rule.required ?? [])
    if (value[name] === undefined) fail(errors, here, '', 'required', { missingProperty: name });
  for (const [name, key, sub] of rule.properties ?? []) {
    const child = value[name];
    if (child !== undefined) check(child, sub, errors, here, key);
  }
}

/** A validator: true or false, with Ajv-style `errors` after each call (null when valid). */
export function validator(rule: Rule) {
  const validate = (data: unknown): boolean => {
    const errors: ValidationError[] = [];
    check(data, rule, errors, '', '');
    validate.errors = errors.length ? errors : null;
    return !errors.length;
  };
  validate.errors = null as ValidationError[] | null;
  return validate;
}
