// Checks fetchBinding's path parameters against the contract before anything is sent.
import { pathParameters } from '../../generated/contract.js';
import { InvalidParameterError } from './errors.js';
import type { BindingParameterName, FetchBindingParams } from './types.js';

/** Never echo more than this many characters of a caller's input in a message. */
const MAX_ECHO = 64;

/** The contract's rule for a parameter, in words: what the error's `expected` says. */
export function expectedForm(name: BindingParameterName): string {
  const rule = pathParameters[name];
  const length =
    rule.minLength === rule.maxLength ? `${rule.minLength}` : `${rule.minLength} to ${rule.maxLength}`;
  return `a string of ${length} characters matching ${rule.pattern}`;
}

function describeInput(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  if (typeof value !== 'string') return value === null ? 'null' : typeof value;
  const chars = [...value];
  if (chars.length <= MAX_ECHO) return `${JSON.stringify(value)} (${chars.length} characters)`;
  return `${JSON.stringify(chars.slice(0, MAX_ECHO).join(''))}… (truncated, ${chars.length} characters)`;
}

/**
 * Throws InvalidParameterError for the first parameter the contract's validator rejects.
 * `redact` masks credentials a caller might have passed by mistake.
 */
export function assertValidParams(
  params: FetchBindingParams,
  redact: (text: string) => string,
): Record<string, string> {
  const path: Record<string, string> = {};
  for (const name of Object.keys(pathParameters) as BindingParameterName[]) {
    const rule = pathParameters[name];
    const value: unknown = (params as Record<string, unknown> | null | undefined)?.[name];
    if (!rule.validate(value)) {
      const expected = expectedForm(name);
      const message = `Invalid ${name} (path parameter ${rule.name}): expected ${expected}, got ${describeInput(value)}.`;
      throw new InvalidParameterError(redact(message), { parameter: name, expected });
    }
    path[rule.name] = value as string;
  }
  return path;
}
