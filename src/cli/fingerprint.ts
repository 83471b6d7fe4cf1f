// A finding's fingerprint: its check, its operation, the rule it breaks and where, without any value the
// service sent, so the same finding on another run matches and a different one does not (known findings).
import type { Finding } from './check.js';

export interface Fingerprint {
  check: string;
  /** The operation (none for a finding of the run itself). */
  operation?: string;
  rule: string;
  where?: string;
}

/** A JSON pointer into a body, each array index as `*`: the same field of another item is the same place. */
const pointerOf = (path: string) => path.replace(/\/\d+(?=\/|$)/g, '/*');

/** A quoted value dropped from a rule: `"…"` (what the service wrote), and ` (got …)` at the end. */
const valueless = (text: string) =>
  text
    .replace(/ \(got [\s\S]*\)$/, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, '…')
    .trim();

/**
 * The rule and place of a conformance problem (the contract's validator's words, see
 * src/testing/conformance.ts): `body /bindings/3/binding_type: must be … (got "x")` is the rule
 * `body: must be …` at `/bindings/*\/binding_type`; `documented header X is missing` the rule at X.
 */
export function conformanceRule(text: string): { rule: string; where?: string } {
  const body = /^body (\/[^:]*): ([\s\S]*)$/.exec(text);
  if (body) return { rule: `body: ${valueless(body[2] ?? '')}`, where: pointerOf(body[1] ?? '') };
  const header = /^documented header (\S+) is missing$/.exec(text);
  if (header) return { rule: 'documented header is missing', where: header[1] as string };
  const type = /^content type "[\s\S]*" is not documented for (\d+)/.exec(text);
  if (type) return { rule: `content type is not documented for ${type[1]}`, where: 'content-type' };
  return { rule: valueless(text) };
}

/** The finding's words with each quote (what a service or a caller sent) left out: its rule by default. */
const ruleOf = (finding: Finding) =>
  finding.problem.words
    .join('…')
    .replace(/ \(during [a-z_]+\)$/, '')
    .trim();

export function fingerprintOf(check: string, finding: Finding): Fingerprint {
  return {
    check,
    ...(finding.operation && { operation: finding.operation }),
    rule: finding.rule ?? ruleOf(finding),
    ...(finding.where !== undefined && { where: finding.where }),
  };
}

/** The key two fingerprints share when they are the same finding. */
export const fingerprintKey = (f: Fingerprint) =>
  JSON.stringify([f.check, f.operation ?? null, f.rule, f.where ?? null]);
