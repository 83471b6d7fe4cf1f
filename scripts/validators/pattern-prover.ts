// Proves a pattern is a fixed sequence of ASCII characters (fixedAsciiAtoms), and writes the char-code
// matcher the generated validators test such a pattern with instead of its RegExp (matcherSource):
// scripts/validators/compiler.ts declares one per pattern it proves, and its lengths then need checking
// only where it does not match.
import { asciiTable } from '../../src/client/validator-runtime.ts';

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
 * The source of `function name(s)`, true exactly when `^atoms$` matches `s`: its length, then each
 * char code (a class's through a table `table(codes)` names, where only its members are 1).
 */
export function matcherSource(
  name: string,
  atoms: readonly Atom[],
  table: (codes: readonly number[]) => string,
): string {
  const length = atoms.reduce((sum, atom) => sum + atom.times, 0);
  const lines = [`function ${name}(s) {`, `if (s.length !== ${length}) return false;`];
  const tables = new Map<string, string>();
  let at = 0;
  for (const { codes, times } of atoms) {
    let local = '';
    if (codes.length > 1) {
      const shared = table(codes);
      local = tables.get(shared) ?? `t${tables.size}`;
      if (!tables.has(shared)) lines.splice(2, 0, `const ${local} = ${shared};`);
      tables.set(shared, local);
    }
    const member = (i: string) => `${local}[s.charCodeAt(${i})]`;
    const differs = (i: string | number) =>
      codes.length === 1 ? `s.charCodeAt(${i}) !== ${codes[0]}` : `${member(String(i))} !== 1`;
    // A class's run four characters a step (measured faster than one), the rest one by one.
    const step = codes.length > 1 && times >= 8 ? 4 : 1;
    const looped = times > 4 ? times - (times % step) : 0;
    if (looped) {
      const test =
        step === 4 ? `(${['i', 'i + 1', 'i + 2', 'i + 3'].map(member).join(' & ')}) !== 1` : differs('i');
      lines.push(`for (let i = ${at}; i < ${at + looped}; i += ${step}) if (${test}) return false;`);
    }
    for (let k = looped; k < times; k++) lines.push(`if (${differs(at + k)}) return false;`);
    at += times;
  }
  lines.push('return true;', '}');
  return lines.join('\n');
}

/** A table's characters as a string literal for asciiTable(). */
export const tableChars = (codes: readonly number[]) => JSON.stringify(String.fromCharCode(...codes));

/**
 * The matcher the generated code uses for a pattern it can prove fixed and ASCII (undefined for any
 * other), built from the same source, with the runtime's asciiTable: for tests against the RegExp.
 */
export function fixedPatternMatcher(pattern: string): ((s: string) => boolean) | undefined {
  const atoms = fixedAsciiAtoms(pattern);
  if (!atoms) return undefined;
  const source = matcherSource('match', atoms, (codes) => `asciiTable(${tableChars(codes)})`);
  return new Function('asciiTable', `${source}\nreturn match;`)(asciiTable);
}
