// Checks an operation's parameters against the contract before anything is sent, and serialises them.
import type { Validator } from '../../generated/validators.js';
import { InvalidParameterError } from './errors.js';
import { described } from './quote.js';
import type { Redact } from './redact.js';
import { render, type Said, said, words } from './said.js';
import type { BindingParameterName } from './types.js';
import { buildPath } from './url.js';

/** A parameter's facts as generated/contract.js gives them. */
export interface ParameterFacts {
  readonly name: string;
  readonly in: string;
  readonly key: string;
  readonly required: boolean;
  readonly validate: Validator;
  readonly expected: string;
}

/** What a URL carries of a string: well-formed UTF-16 only (encodeURIComponent refuses a lone surrogate). */
const WELL_FORMED = 'well-formed UTF-16 (no lone surrogate)';
/** What a URL carries of a number: its decimal digits, exactly (never an exponent, never a rounded integer). */
const EXACT_NUMBER = 'written exactly in decimal digits (an integer of at most 2^53 − 1)';

/**
 * One read of a parameter's value: an array is copied item by item (its length read once, each index
 * once), so what is checked is what is sent, whatever its getters or iterator do. Undefined when absent.
 */
function snapshot(params: unknown, key: string): unknown {
  if (typeof params !== 'object' || params === null || !Object.hasOwn(params, key)) return undefined;
  const value = (params as Record<string, unknown>)[key];
  if (!Array.isArray(value)) return value;
  const length = value.length;
  const copy: unknown[] = [];
  for (let i = 0; i < length; i++) copy.push(value[i]);
  return copy;
}

/** What was given, for a message: the value, or the array's item `at` when one is to blame. */
const given = (value: unknown, at?: number): Said =>
  at === undefined
    ? described(value)
    : said`an array whose item ${words(String(at))} is ${described((value as unknown[])[at])}`;

/**
 * The InvalidParameterError for a parameter: its rule and what was given, in which alone redaction may
 * mask (the parameter's name and rule are the contract's). Nothing is sent.
 */
function invalid(rule: ParameterFacts, expected: string, got: Said, redact: Redact) {
  const rules = words(`${rule.key} (${rule.in} parameter ${rule.name}): expected ${expected}, got `);
  return new InvalidParameterError(render(said`Invalid ${rules}${got}.`, redact), {
    parameter: rule.key as BindingParameterName,
    expected,
  });
}

/** Why a URL cannot carry a value that keeps its rule: the part of the rule it breaks, in words. */
interface Uncarried {
  expected: string;
  why: string;
}

/**
 * A value as it goes into a URL, percent-encoded; when a URL cannot carry it, which part of the rule the
 * value breaks (it keeps the contract's: it is no use to restate that).
 */
function encoded(rule: ParameterFacts, item: unknown): string | Uncarried {
  if (
    typeof item === 'number' &&
    !(Number.isInteger(item) ? Number.isSafeInteger(item) : !/e/.test(`${item}`))
  )
    return {
      expected: `${rule.expected}, ${EXACT_NUMBER}`,
      why: Number.isInteger(item)
        ? 'past 2^53 − 1, where numbers are no longer exact'
        : 'written with an exponent',
    };
  try {
    return encodeURIComponent(String(item));
  } catch {
    return { expected: `${rule.expected}, in ${WELL_FORMED}`, why: 'with a lone surrogate' };
  }
}

/**
 * The InvalidParameterError for a value its validator refused. When the fault is the type (a string where
 * a number goes), the message says so rather than state a rule the text may meet ("9007199254740993").
 */
function refused(rule: ParameterFacts, value: unknown, redact: Redact) {
  const error = rule.validate.errors?.[0];
  const index = Array.isArray(value) ? /^\/(\d+)/.exec(error?.instancePath ?? '') : null;
  const at = index ? Number(index[1]) : undefined;
  const item = at === undefined ? value : (value as unknown[])[at];
  const type = error?.keyword === 'type' ? String(error.params?.type) : undefined;
  const numeric = type === 'integer' || type === 'number';
  const expected = numeric && typeof item !== 'number' ? `a number, ${rule.expected}` : rule.expected;
  if (type === undefined || typeof item !== 'string')
    return invalid(rule, expected, given(value, at), redact);
  const got =
    at === undefined
      ? said`a string ${described(item)}`
      : said`an array whose item ${words(String(at))} is a string ${described(item)}`;
  return invalid(rule, expected, got, redact);
}

/** A parameter's value, checked by its rule and encoded: each item, for an array (an InvalidParameterError when bad). */
function encodedValue(rule: ParameterFacts, value: unknown, redact: Redact): string[] {
  if (!rule.validate(value)) throw refused(rule, value, redact);
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const texts: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const text = encoded(rule, items[i]);
    if (typeof text !== 'string') {
      const what = said`${given(value, items === value ? i : undefined)}, ${words(text.why)}`;
      throw invalid(rule, text.expected, what, redact);
    }
    texts.push(text);
  }
  return texts;
}

/**
 * The request path and query for an operation's parameters, after checking each one with the
 * contract's validator: InvalidParameterError names the first bad one, its rule and what was given (the
 * item, for an array). Query values are serialised as the contract says (form style, exploded:
 * `A=1&A=2`), percent-encoded. `redact` masks credentials a caller might have passed by mistake, before
 * the value is cut and quoted.
 */
export function requestTarget(
  template: string,
  parameters: readonly ParameterFacts[],
  params: unknown,
  redact: Redact,
): string {
  const path: Record<string, string> = {};
  let query = '';
  for (const rule of parameters) {
    let value: unknown;
    try {
      value = snapshot(params, rule.key);
    } catch {
      throw invalid(rule, rule.expected, words('a value that throws when read'), redact);
    }
    if (value === undefined && !rule.required) continue;
    const texts = encodedValue(rule, value, redact);
    if (rule.in === 'path') path[rule.name] = texts[texts.length - 1] as string;
    else for (const text of texts) query += `${query ? '&' : '?'}${encodeURIComponent(rule.name)}=${text}`;
  }
  return buildPath(template, path, same) + query;
}

const same = (text: string) => text;
