// Proves a pattern is a fixed sequence of ASCII characters (fixedAsciiAtoms), and writes the char-code
// matcher the generated validators test such a pattern with instead of its RegExp (matcherSource), its
// classes read as runs by the runtime's runEnd, on a set of the uri format's own table where one is the
// class: scripts/validators/compiler.ts declares one per pattern it proves, and its lengths then need
// checking only where it does not match.
import { asciiTable, runEnd, URI_TABLE } from '../../src/client/validator-runtime.ts';

/** Printable ASCII that stands for itself in a pattern (syntax characters excluded). */
const LITERAL = /^[A-Za-z0-9 !"#%&',\-/:;<=>@_`~]$/;
/** More that stand for themselves inside a class. */
const CLASS_LITERAL = /^[\^$.*+?(){}|]$/;
/** ASCII syntax characters a pattern may escape to stand for themselves (`\.`, `\-`). */
const ESCAPED = /^[\^$\\.*+?()[\]{}|/-]$/;
const codeRange = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const DIGITS = codeRange(48, 57);
const WORD = [...DIGITS, ...codeRange(65, 90), 95, ...codeRange(97, 122)];

/** One character of a fixed-length pattern: the ASCII codes it may be, repeated `times` times. */
export interface Atom {
  codes: readonly number[];
  times: number;
}

/**
 * A pattern (compiled with the `u` flag) as the fixed sequence of ASCII characters every match is,
 * when that can be proven; undefined otherwise. Conservative: only `^…$` made of single-character ASCII
 * atoms (a literal, an escaped syntax character, `\d`, `\w`, a class of those and ASCII ranges, not
 * negated), each once or with a fixed `{n}` / `{n,n}`. Anything else (`.`, `|`, groups, `+`, `*`, `?`,
 * `{n,m}`, `\s`, `\u…`, a negated class, a non-ASCII character) is not proven.
 */
export function fixedAsciiAtoms(pattern: string): Atom[] | undefined {
  if (pattern[0] !== '^') return undefined;
  const atoms: Atom[] = [];
  /** The ASCII character (literal or escaped) at `at`: its code and where it ends. */
  const single = (at: number, inClass: boolean): [code: number, end: number] | undefined => {
    const c = pattern[at];
    if (c === undefined) return undefined;
    if (c === '\\') {
      const next = pattern[at + 1];
      return next !== undefined && ESCAPED.test(next) ? [next.charCodeAt(0), at + 2] : undefined;
    }
    return LITERAL.test(c) || (inClass && CLASS_LITERAL.test(c)) ? [c.charCodeAt(0), at + 1] : undefined;
  };
  const shorthand = (at: number) =>
    pattern[at] !== '\\'
      ? undefined
      : pattern[at + 1] === 'd'
        ? DIGITS
        : pattern[at + 1] === 'w'
          ? WORD
          : undefined;
  let i = 1;
  while (i < pattern.length - 1) {
    let codes: number[] = [];
    const short = shorthand(i);
    if (short) {
      codes = short;
      i += 2;
    } else if (pattern[i] === '[') {
      // A class: ASCII members and ranges up to `]`, not negated and not empty.
      let at = i + 1;
      if (pattern[at] === '^' || pattern[at] === ']') return undefined;
      while (pattern[at] !== ']') {
        const members = shorthand(at);
        if (members) {
          codes.push(...members);
          at += 2;
          continue;
        }
        const from = single(at, true);
        if (!from) return undefined;
        // A range `a-z` (a `-` just before `]` is itself).
        if (pattern[from[1]] === '-' && pattern[from[1] + 1] !== ']') {
          const to = single(from[1] + 1, true);
          if (!to || to[0] < from[0]) return undefined;
          codes.push(...codeRange(from[0], to[0]));
          at = to[1];
        } else {
          codes.push(from[0]);
          at = from[1];
        }
      }
      i = at + 1;
    } else {
      const one = single(i, false);
      if (!one) return undefined;
      codes = [one[0]];
      i = one[1];
    }
    let times = 1;
    const quantifier = /^\{(\d+)(?:,(\d+))?\}/.exec(pattern.slice(i));
    if (quantifier) {
      times = Number(quantifier[1]);
      if (quantifier[2] !== undefined && Number(quantifier[2]) !== times) return undefined;
      i += quantifier[0].length;
    }
    atoms.push({ codes: [...new Set(codes)].sort((a, b) => a - b), times });
  }
  // Exactly one unescaped `$` left, at the end.
  return i === pattern.length - 1 && pattern[i] === '$' ? atoms : undefined;
}

/** How many ASCII characters every match of a pattern has, when fixedAsciiAtoms proves it. */
export function fixedAsciiLength(pattern: string): number | undefined {
  return fixedAsciiAtoms(pattern)?.reduce((sum, atom) => sum + atom.times, 0);
}

/**
 * The source of `function name(s)`, true exactly when `^atoms$` matches `s`: its length, then each atom:
 * a single character by its code, a class or a repeated character as a run of the members of a set (the
 * runtime's runEnd, which the uri format reads with too): `run(codes)` writes runEnd's set and table.
 */
export function matcherSource(
  name: string,
  atoms: readonly Atom[],
  run: (codes: readonly number[]) => string,
): string {
  const tests = [`s.length === ${atoms.reduce((sum, atom) => sum + atom.times, 0)}`];
  let at = 0;
  for (const { codes, times } of atoms) {
    if (codes.length === 1 && times === 1) tests.push(`s.charCodeAt(${at}) === ${codes[0]}`);
    else if (times) tests.push(`runEnd(s, ${at}, ${run(codes)}) >= ${at + times}`);
    at += times;
  }
  return `function ${name}(s) {\nreturn ${tests.join(' && ')};\n}`;
}

/** The bit of URI_TABLE whose members are exactly `codes`, if one is. */
function uriSetOf(codes: readonly number[]): number | undefined {
  for (let bit = 1; bit < 128; bit *= 2) {
    const members = [...URI_TABLE.keys()].filter((code) => (URI_TABLE[code] as number) & bit);
    if (members.length === codes.length && members.every((code, i) => code === codes[i])) return bit;
  }
  return undefined;
}

/**
 * runEnd's set and table for a class: a set of URI_TABLE (its default) where the class is exactly one
 * (hex digits, digits), else bit 1 of the table `table(chars)` names, `chars` a string literal for asciiTable().
 */
export function classRun(codes: readonly number[], table: (chars: string) => string): string {
  const shared = uriSetOf(codes);
  return shared === undefined ? `1, ${table(JSON.stringify(String.fromCharCode(...codes)))}` : String(shared);
}

/**
 * The matcher the generated code uses for a pattern it can prove fixed and ASCII (undefined for any
 * other), built from the same source, with the runtime's asciiTable and runEnd: for tests against the RegExp.
 */
export function fixedPatternMatcher(pattern: string): ((s: string) => boolean) | undefined {
  const atoms = fixedAsciiAtoms(pattern);
  if (!atoms) return undefined;
  const source = matcherSource('match', atoms, (codes) => classRun(codes, (chars) => `asciiTable(${chars})`));
  return new Function('asciiTable', 'runEnd', `${source}\nreturn match;`)(asciiTable, runEnd);
}
