// A seeded random source and the invalid path-parameter values it generates: `--seed` replays a run.
import { pathParameters } from '../../generated/contract.js';

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

const HEX = '0123456789abcdefABCDEF';
const pick = (random: Random, chars: string) => {
  const all = [...chars]; // code points: never half a surrogate pair
  return all[Math.floor(random() * all.length)] ?? '';
};
const repeat = (random: Random, n: number, chars: string) =>
  Array.from({ length: n }, () => pick(random, chars)).join('');
const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

export type ParameterName = keyof typeof pathParameters;

/** The fixed prefix a parameter's pattern demands (`^IS[0-9a-fA-F]{32}$` → `IS`). */
export function prefixOf(name: ParameterName): string {
  return /^\^([A-Za-z]+)/.exec(pathParameters[name].pattern)?.[1] ?? '';
}

/** A valid value for a parameter: its prefix, then random hex up to the contract's length. */
export function validValue(name: ParameterName, random: Random): string {
  const prefix = prefixOf(name);
  return prefix + repeat(random, pathParameters[name].maxLength - prefix.length, HEX);
}

export interface InvalidValue {
  kind: string;
  /** The path segment as sent: already percent-encoded. */
  segment: string;
}

/** One invalid value of each kind the contract check sends for a parameter. */
export function invalidValues(name: ParameterName, random: Random): InvalidValue[] {
  const prefix = prefixOf(name);
  const { minLength, maxLength } = pathParameters[name];
  const hexLength = maxLength - prefix.length;
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let wrongPrefix = prefix;
  while (wrongPrefix === prefix) wrongPrefix = repeat(random, prefix.length, letters);
  const nonHexAt = between(random, 0, hexLength - 1);
  const hex = repeat(random, hexLength, HEX);
  const half = Math.floor(hexLength / 2);
  const values: [string, string][] = [
    ['wrong prefix', wrongPrefix + hex],
    ['too short', prefix + hex.slice(0, between(random, 0, minLength - prefix.length - 1))],
    ['too long', prefix + hex + repeat(random, between(random, 1, 16), HEX)],
    [
      'non-hex',
      `${prefix}${hex.slice(0, nonHexAt)}${pick(random, 'ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ')}${hex.slice(nonHexAt + 1)}`,
    ],
    ['Unicode', `${prefix}${hex.slice(1)}${pick(random, 'éßΩж中😀')}`],
  ];
  return [
    ...values.map(([kind, value]) => ({ kind, segment: encodeURIComponent(value) })),
    // An encoded slash must stay encoded: it probes path traversal in the server's router.
    { kind: 'encoded slash', segment: `${prefix}${hex.slice(0, half)}%2F${hex.slice(half + 1)}` },
  ];
}
