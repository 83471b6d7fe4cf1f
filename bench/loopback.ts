// 1. Per-request time over loopback, sequential and with 50 requests in flight.
import { contenders, type FetchOne } from './contenders.ts';
import { interleaved, type Summary } from './stats.ts';

async function sequential(fetchOne: FetchOne, count: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await fetchOne();
  return Number(process.hrtime.bigint() - start) / 1e3 / count; // µs per request
}

async function inFlight(fetchOne: FetchOne, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next++ < count) await fetchOne();
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Number(process.hrtime.bigint() - start) / 1e3 / count;
}

export async function loopback(baseUrl: string, rounds: number) {
  const all = contenders(baseUrl);
  const wrap = (run: (f: FetchOne) => Promise<number>) =>
    Object.fromEntries(Object.entries(all).map(([name, f]) => [name, () => run(f)])) as Record<
      string,
      () => Promise<number>
    >;
  const seq: Record<string, Summary> = await interleaved(
    wrap((f) => sequential(f, 200)),
    rounds,
  );
  const par: Record<string, Summary> = await interleaved(
    wrap((f) => inFlight(f, 1000, 50)),
    rounds,
  );
  return { sequential: seq, inFlight: par };
}
