// A command's flags as one table: what parseArgs reads, and what `--help` prints (each flag with its
// value, its default and one line on what it does), so the help cannot drift from what is parsed.
import { parseArgs } from 'node:util';

export interface Flag {
  type: 'string' | 'boolean';
  /** What the value looks like in the help: `URL`, `N`, `text|json|junit`. */
  value?: string;
  /** The default, as the help shows it (absent: none). */
  default?: string;
  /** Given any number of times: its value is every one given, in order. */
  multiple?: true;
  about: string;
}

export type Flags = Record<string, Flag>;

type Values<F extends Flags> = {
  [K in keyof F]?: F[K]['type'] extends 'boolean'
    ? boolean
    : F[K]['multiple'] extends true
      ? string[]
      : string;
};

/** The values of a command's flags (strings as given; booleans true when given). Unknown flags are usage errors. */
export function parseFlags<F extends Flags>(args: string[], flags: F): Values<F> {
  return parseWithOperands(args, flags, false).values;
}

/** The flags' values and the operands between them (`coverage a.json --min 90 b.json`: the files). */
export function parseWithOperands<F extends Flags>(args: string[], flags: F, operands = true) {
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, flag]) => [
      name,
      { type: flag.type, multiple: flag.multiple === true },
    ]),
  );
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: operands, options });
  return { values: values as Values<F>, operands: positionals };
}

/** A command's help: its synopsis, what it does, each flag, and the notes after. */
export function helpText(synopsis: string[], what: string, flags: Flags, notes: string[] = []): string {
  const rows = Object.entries(flags).map(([name, flag]) => [
    `--${name}${flag.value ? ` ${flag.value}` : ''}`,
    `${flag.about}${flag.default ? ` (default ${flag.default})` : ''}`,
  ]);
  const width = Math.max(...rows.map(([left]) => left?.length ?? 0)) + 2;
  return [
    'Usage:',
    ...synopsis.map((line) => `  ${line}`),
    '',
    what,
    '',
    'Flags:',
    ...rows.map(([left = '', right = '']) => `  ${left.padEnd(width)}${right}`),
    ...(notes.length ? ['', ...notes] : []),
    '',
  ].join('\n');
}
