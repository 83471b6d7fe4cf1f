// Checks an operation's parameters against the contract before anything is sent, and serialises them.
import type { Validator } from '../../generated/validators.js';
import { echo } from './echo.js';
import { InvalidParameterError } from './errors.js';
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

/**
 * The request path and query for an operation's parameters, after checking each one with the
 * contract's validator: InvalidParameterError names the first bad one, its rule and what was given.
 * Query values are serialised as the contract says (form style, exploded: `A=1&A=2`), percent-encoded.
 * `redact` masks credentials a caller might have passed by mistake, before the value is cut and quoted.
 */
export function requestTarget(
  template: string,
  parameters: readonly ParameterFacts[],
  params: unknown,
  redact: (text: string) => string,
): string {
  const given = (params ?? {}) as Record<string, unknown>;
  const path: Record<string, string> = {};
  const query: string[] = [];
  for (const rule of parameters) {
    const value = typeof given === 'object' && Object.hasOwn(given, rule.key) ? given[rule.key] : undefined;
    if (value === undefined && !rule.required) continue;
    if (!rule.validate(value)) {
      const message = `Invalid ${rule.key} (${rule.in} parameter ${rule.name}): expected ${rule.expected}, got ${echo(value, redact)}.`;
      throw new InvalidParameterError(redact(message), {
        parameter: rule.key as BindingParameterName,
        expected: rule.expected,
      });
    }
    if (rule.in === 'path') path[rule.name] = value as string;
    else
      for (const item of Array.isArray(value) ? value : [value])
        query.push(`${encodeURIComponent(rule.name)}=${encodeURIComponent(String(item))}`);
  }
  return buildPath(template, path) + (query.length ? `?${query.join('&')}` : '');
}
