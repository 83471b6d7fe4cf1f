// The command line's flags and environment, each checked by one rule (the contract's, where it has
// one): a bad one is a UsageError, one line naming it, exit status 2, before anything is sent.
import { exampleParameters, operationFacts, parameterOf, parameterRules } from '../../generated/contract.js';
import { quoted } from '../client/quote.js';
import { BASE_URL_RULE, checkBaseUrl } from '../client/url.js';

/** A bad command line: one line naming what was wrong; exit status 2. */
export class UsageError extends Error {}

/** A number flag of a form (its digits) within bounds; else a UsageError naming the flag, the form and the bounds. */
function numberFlag(form: RegExp, what: (min: number, max: number) => string) {
  return (name: string, value: string | undefined, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!form.test(value) || n < min || n > max)
      throw new UsageError(`--${name} must be ${what(min, max)}, got ${quoted(value)}`);
    return n;
  };
}

/** A whole-number flag from min to max. */
export const integer = numberFlag(/^\d{1,16}$/, (min, max) => `an integer from ${min} to ${max}`);

/** A flag of seconds: a decimal number with up to three decimals (milliseconds), from min to max. */
export const seconds = numberFlag(
  /^\d{1,6}(\.\d{1,3})?$/,
  (min, max) => `a number of seconds from ${min} to ${max} (up to three decimals)`,
);

const fetchParameters = operationFacts.FetchServiceBinding.parameters;
type SidKey = (typeof fetchParameters)[number]['key'];

/** A SID flag checked by the contract's rule for the fetch operation's parameter; default: the contract's example. */
export function sid(flag: string, key: SidKey, value: string | undefined): string {
  const rule = fetchParameters.find((p) => p.key === key) as (typeof fetchParameters)[number];
  if (value === undefined) return exampleParameters.FetchServiceBinding[key];
  if (!rule.validate(value)) throw new UsageError(`--${flag} must be ${rule.expected}, got ${quoted(value)}`);
  return value;
}

/** --page-size, checked by the contract's rule for the list's page size; default: the contract's default. */
export function pageSize(value: string | undefined): number {
  const rule = parameterOf.ListServiceBinding.pageSize;
  if (value === undefined) return Number(parameterRules.PageSize.default);
  const n = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!rule.validate(n)) throw new UsageError(`--page-size must be ${rule.expected}, got ${quoted(value)}`);
  return n;
}

/** --base-url by the client's own rule (judged on the raw text: an empty `?` or `#` is refused too). */
export function baseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const checked = checkBaseUrl(value);
  if (checked.problem !== undefined)
    throw new UsageError(`--base-url must be ${BASE_URL_RULE}, ${checked.problem}`);
  return checked.url;
}

/** Where credentials may come from, in order: each a complete pair. */
export const CREDENTIAL_SOURCES = [
  ['BINDINGS_USERNAME', 'BINDINGS_PASSWORD'],
  ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
] as const;

/**
 * The credentials in the environment: a complete pair from the first source that has either half, never
 * a half from each (that would send one account's user with another's secret). Undefined when none is set.
 */
export function credentialsFrom(env: NodeJS.ProcessEnv): { username: string; password: string } | undefined {
  for (const [user, secret] of CREDENTIAL_SOURCES) {
    const [username, password] = [env[user], env[secret]];
    if (!username && !password) continue;
    if (!username || !password)
      throw new UsageError(
        `set ${username ? secret : user} too: ${username ? user : secret} is set without it`,
      );
    if (username.includes(':')) throw new UsageError(`${user} must not contain ":" (RFC 7617 Basic auth)`);
    return { username, password };
  }
  return undefined;
}

/** The pair of variables credentials are taken from in this environment (the first set), if any. */
export const credentialSource = (env: NodeJS.ProcessEnv): readonly [string, string] | undefined =>
  CREDENTIAL_SOURCES.find(([name, secretName]) => env[name] || env[secretName]);

const [[user, secret], [account, token]] = CREDENTIAL_SOURCES;
export const CREDENTIALS_HINT = `set ${user} and ${secret} (or ${account} and ${token})`;
