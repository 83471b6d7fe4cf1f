// Medians, spreads and ratios: every figure is a distribution over rounds, compared within one run.

export interface Summary {
  median: number;
  p25: number;
  p75: number;
  n: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => {
    const i = (sorted.length - 1) * q;
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (i - lo);
  };
  return { median: at(0.5), p25: at(0.25), p75: at(0.75), n: sorted.length };
}

/**
 * Runs each contender once per round, in an order that rotates every round, after warm-up rounds. Each
 * run returns one or more named figures (e.g. wall time and CPU time of the same work), summarized apart.
 */
export async function interleavedFigures<K extends string, F extends string>(
  contenders: Record<K, () => Promise<Record<F, number>>>,
  rounds: number,
  warmup = 1,
): Promise<Record<K, Record<F, Summary>>> {
  const names = Object.keys(contenders) as K[];
  const samples = new Map<K, Map<string, number[]>>(names.map((n) => [n, new Map()]));
  for (let round = 0; round < warmup + rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length] as K);
    for (const name of order) {
      const figures = await contenders[name]();
      if (round < warmup) continue;
      const byFigure = samples.get(name) as Map<string, number[]>;
      for (const [figure, value] of Object.entries<number>(figures)) {
        const values = byFigure.get(figure) ?? [];
        values.push(value);
        byFigure.set(figure, values);
      }
    }
  }
  return Object.fromEntries(
    names.map((n) => [
      n,
      Object.fromEntries([...(samples.get(n) ?? [])].map(([figure, values]) => [figure, summarize(values)])),
    ]),
  ) as Record<K, Record<F, Summary>>;
}

/** `interleavedFigures` for contenders that return a single figure. */
export async function interleaved<K extends string>(
  contenders: Record<K, () => Promise<number>>,
  rounds: number,
  warmup = 1,
): Promise<Record<K, Summary>> {
  const names = Object.keys(contenders) as K[];
  const one = Object.fromEntries(
    names.map((n) => [n, async () => ({ value: await contenders[n]() })]),
  ) as Record<K, () => Promise<{ value: number }>>;
  const figures = await interleavedFigures(one, rounds, warmup);
  return Object.fromEntries(names.map((n) => [n, figures[n].value])) as Record<K, Summary>;
}

export const ratio = (a: Summary, b: Summary) => a.median / b.median;

export function fmt(value: number, unit: string, digits = 1): string {
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

export function spread(s: Summary, unit: string, digits = 1): string {
  return `${fmt(s.median, unit, digits)} (IQR ${fmt(s.p25, '', digits).trim()}–${fmt(s.p75, unit, digits)})`;
}
