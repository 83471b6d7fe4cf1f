// What the checks share: the guards that say when one cannot apply, and the judgements they are made of
// (an expected status with a conforming body, a refusal, a rejected invalid value), each a finding in the
// report's words. A malformed answer is a finding here, never a crash.
import type { Exchange, Finding } from './check.js';
import { guard } from './check.js';
import { conformanceRule } from './fingerprint.js';
import { flagOf } from './instances.js';
import { nounOf, type Operation, resourceOf, resources } from './operations.js';
import { type Said, said, word, words } from './said.js';

export const MOCK_SKIP =
  "the embedded mock is stateless: it serves the contract's examples and accepts any well-formed credentials";
const MOCK_SERVES_EXAMPLES =
  "the embedded mock serves the contract's examples: it neither stores nor filters what it lists";
const STATELESS_SKIP =
  '--stateless: the target keeps no state (it serves fixed answers and may accept any well-formed credentials)';

/** A target that keeps no state: the embedded Prism mock, or one said to be --stateless. */
export const stateless = guard(
  'against a target that keeps no state (the embedded Prism mock, --stateless)',
  (options) => (options.mock ? MOCK_SKIP : options.stateless ? STATELESS_SKIP : undefined),
);

/** A target that does not filter what it lists. */
export const filtersNothing = guard(
  'against a target that does not filter (the embedded Prism mock, --stateless)',
  (options) => (options.mock ? MOCK_SERVES_EXAMPLES : options.stateless ? STATELESS_SKIP : undefined),
);

const deleteFlags = resources.map((r) => flagOf('deletable', r.schema)).filter((f) => f !== '--undefined');

/** No instance of the operation's resource named as one verify may delete (its --delete-…-sid). */
export const destructive = guard(
  `without ${deleteFlags.length === 1 ? deleteFlags[0] : `its resource's ${deleteFlags.join(' / ')}`}`,
  (options, op) =>
    op && options.instances?.deletable?.[op.resource]
      ? undefined
      : `destructive: runs only with ${op ? flagOf('deletable', op.resource) : deleteFlags.join(' / ')}, naming ${
          op ? `a ${nounOf(resourceOf(op))}` : 'an instance'
        } it may delete`,
);

/** HTTP's own answers (RFC 9110) that the contract leaves to `default`: what the checks accept for them. */
export const FORBIDDEN_STATUS = 403;
export const METHOD_NOT_ALLOWED = 405;
export const NOT_ACCEPTABLE = 406;

export const is4xx = (x: Exchange) => (x.status ?? 0) >= 400 && (x.status ?? 0) <= 499;

/** What came back instead: the status, or why there was none (the run's own words, already redacted). */
export const got = (x: Exchange): Said => (x.error ? words(x.error) : said`${x.status ?? 0}`);

export function finding(x: Exchange, problem: Said, expected?: readonly number[]): Finding {
  return {
    request: x.request,
    operation: x.operation,
    ...(x.status !== undefined && { status: x.status }),
    problem,
    ...(expected && { expected }),
  };
}

/** Where an answer breaks what the contract documents for its status: status, content type, headers, body. */
export const conformanceOf = (x: Exchange): Finding[] =>
  (x.problems ?? []).map((text) => ({ ...finding(x, words(text)), ...conformanceRule(text) }));

/** The exchange answered one of the expected statuses with a conforming answer; else why not. */
export const answered = (x: Exchange, expected: readonly number[], what = expected.join(' or ')) =>
  x.status !== undefined && expected.includes(x.status)
    ? conformanceOf(x)
    : [finding(x, said`expected ${word(what)}, got ${got(x)}`, expected)];

/** A request that must be refused with a 4xx (`expected` is the status RFC 9110 names for it). */
export const refusedWith = (expected: number) => (x: Exchange) =>
  is4xx(x) ? [] : [finding(x, said`expected ${expected} or another 4xx, got ${got(x)}`)];

/** A request that tries an invalid value (`about` says which): it must get a 4xx. */
export const rejectsInvalid = (x: Exchange) =>
  x.error || !is4xx(x)
    ? [finding(x, said`${x.about ?? words('the request')} should get a 4xx, got ${got(x)}`)]
    : [];

/** A list's answer as a page: its body when the status is the list's success and the body an object. */
export function pageOf(x: Exchange, op: Operation): Record<string, unknown> | undefined {
  return x.status === op.success.status && typeof x.body === 'object' && x.body !== null
    ? (x.body as Record<string, unknown>)
    : undefined;
}

/** A page's `meta` when it is an object (a malformed one reads as empty, and its conformance says why). */
export const metaOf = (page: Record<string, unknown> | undefined): Record<string, unknown> => {
  const meta = page?.meta;
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
};
