// What bench/RESULTS.md is made of: sections that each measure and render their own tables, markdown
// tables, ratio cells, and the verdict rows of the targets table (the only place a target is judged).
import { ratio, type Summary } from './stats.ts';

export interface SectionContext {
  /** Interleaved rounds for in-process measurements (BENCH_ROUNDS, default 15). */
  rounds: number;
}

/** A target judged on figures of this run: the only absolute bounds the benchmarks hold. */
export interface Verdict {
  target: string;
  measured: string;
  met: boolean;
}

export interface SectionResult {
  markdown: string[];
  verdicts?: Verdict[];
}

export interface Section {
  number: number;
  title: string;
  run(context: SectionContext): Promise<SectionResult>;
}

/** A ratio: two decimals, or two significant digits below 0.1 (a start in ms against one in seconds). */
export const x = (value: number) => `${Math.abs(value) >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}×`;

/** `a / b` of two medians as a cell; a dash when either is missing. */
export const ratioCell = (a: Summary | undefined, b: Summary | undefined) => (a && b ? x(ratio(a, b)) : '–');

export function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

/** A target on the ratio of two medians, `a / b`, bounded above or below. */
export function ratioVerdict(
  target: string,
  a: Summary | undefined,
  b: Summary | undefined,
  bound: { atMost: number } | { atLeast: number },
): Verdict {
  const value = a && b ? ratio(a, b) : Number.NaN;
  const met = 'atMost' in bound ? value <= bound.atMost : value >= bound.atLeast;
  return { target, measured: x(value), met };
}

/** A target on one median, bounded above or below (a figure the issue states in absolute terms). */
export function figureVerdict(
  target: string,
  a: Summary | undefined,
  unit: string,
  bound: { atMost: number } | { atLeast: number },
): Verdict {
  const value = a ? a.median : Number.NaN;
  const met = 'atMost' in bound ? value <= bound.atMost : value >= bound.atLeast;
  return { target, measured: `${value.toPrecision(3)} ${unit}`, met };
}

/** The entry a section that threw leaves instead of its tables: its number, its title and why. */
export function failedEntry(section: Pick<Section, 'number' | 'title'>, error: unknown): string[] {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.split('\n').find((line) => line.trim()) ?? 'no message';
  return [`## ${section.number}. ${section.title}: failed — ${reason.trim().slice(0, 300)}`];
}
