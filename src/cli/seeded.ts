// A seeded random source, and the valid and invalid parameter values it makes from the contract's
// rules (each operation's own, by the component its parameter refers to): `--seed` replays a run.
import { parameterSchemas, schemaRules } from '../../generated/schema-rules.js';
import type { OperationId } from '../client/types.js';

export type Random = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random: Random, chars: string) => {
  const all = [...chars]; // code points: never half a surrogate pair
  return all[Math.floor(random() * all.length)] ?? '';
};
const repeat = (random: Random, n: number, chars: string) =>
  Array.from({ length: n }, () => pick(random, chars)).join('');
const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

export interface Rule {
  ref?: string;
  type?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: readonly string[];
  items?: Rule;
}

/** A rule with its component reference (and its items') read: what the contract says of the value. */
function resolved(rule: Rule | undefined): Rule {
  if (!rule) return {};
  const own = rule.ref ? resolved((schemaRules as unknown as Record<string, Rule>)[rule.ref]) : rule;
  return own.items ? { ...own, items: resolved(own.items) } : own;
}

/** The rule of an operation's parameter, by its key: its own, or the component it refers to. */
export function parameterRule(operation: OperationId, key: string): Rule {
  const params = (parameterSchemas as unknown as Record<string, readonly { key: string; schema: Rule }[]>)[
    operation
  ];
  return resolved(params?.find((p) => p.key === key)?.schema);
}

/** The parts of a SID-like pattern, `^IS[0-9a-fA-F]{32}$`: its fixed prefix, its alphabet, its length. */
export function patternShape(pattern: string): { prefix: string; alphabet: string; length: number } {
  const match = /^\^([A-Za-z]*)\[([^\]]+)\]\{(\d+)\}\$$/.exec(pattern);
  if (!match) throw new Error(`verify makes values for patterns like ^AB[0-9a-f]{32}$, not ${pattern}`);
  const [, prefix = '', set = '', length = '0'] = match;
  const alphabet = set.replace(/(.)-(.)/g, (_, from: string, to: string) =>
    String.fromCharCode(
      ...Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => from.charCodeAt(0) + i),
    ),
  );
  return { prefix, alphabet, length: Number(length) };
}

/** A valid value for a SID-like pattern: its prefix, then random characters of its alphabet. */
export function validValue(pattern: string, random: Random): string {
  const { prefix, alphabet, length } = patternShape(pattern);
  return prefix + repeat(random, length, alphabet);
}

export interface InvalidValue {
  kind: string;
  /** The value as sent: already percent-encoded. */
  encoded: string;
}

/** One invalid string of each kind the contract check sends for a patterned parameter. */
function invalidStrings(rule: Rule, random: Random): InvalidValue[] {
  const { prefix, alphabet, length } = patternShape(rule.pattern ?? '');
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let wrongPrefix = prefix;
  while (wrongPrefix === prefix) wrongPrefix = repeat(random, prefix.length, letters);
  const body = repeat(random, length, alphabet);
  const stranger = [...letters].filter((c) => !alphabet.includes(c)).join('');
  const at = between(random, 0, length - 1);
  const half = Math.floor(length / 2);
  const values: [string, string][] = [
    ['wrong prefix', wrongPrefix + body],
    ['too short', prefix + body.slice(0, between(random, 0, (rule.minLength ?? 1) - prefix.length - 1))],
    ['too long', prefix + body + repeat(random, between(random, 1, 16), alphabet)],
    ['wrong character', `${prefix}${body.slice(0, at)}${pick(random, stranger)}${body.slice(at + 1)}`],
    ['Unicode', `${prefix}${body.slice(1)}${pick(random, 'éßΩж中😀')}`],
  ];
  return [
    ...values.map(([kind, value]) => ({ kind, encoded: encodeURIComponent(value) })),
    // An encoded slash must stay encoded: it probes path traversal in the server's router.
    { kind: 'encoded slash', encoded: `${prefix}${body.slice(0, half)}%2F${body.slice(half + 1)}` },
  ];
}

/** Values a number parameter's rule refuses: past each bound, a fraction, and not a number. */
function invalidNumbers(rule: Rule): InvalidValue[] {
  const values: [string, string][] = [];
  if (rule.minimum !== undefined) values.push(['below the minimum', String(rule.minimum - 1)]);
  if (rule.maximum !== undefined) values.push(['above the maximum', String(rule.maximum + 1)]);
  if (rule.type === 'integer') values.push(['fraction', String((rule.minimum ?? 0) + 1.5)]);
  values.push(['not a number', 'abc']);
  return values.map(([kind, value]) => ({ kind, encoded: encodeURIComponent(value) }));
}

/** One invalid value of each kind the contract check sends for a parameter (none when any value is valid). */
export function invalidValues(rule: Rule, random: Random): InvalidValue[] {
  if (rule.type === 'string' && rule.pattern) return invalidStrings(rule, random);
  if (rule.type === 'integer' || rule.type === 'number') return invalidNumbers(rule);
  const allowed = rule.items?.enum ?? rule.enum;
  if (allowed) {
    let value = '';
    while (!value || allowed.includes(value)) value = repeat(random, 8, 'abcdefghijklmnopqrstuvwxyz');
    return [{ kind: 'value outside the enum', encoded: value }];
  }
  return [];
}
