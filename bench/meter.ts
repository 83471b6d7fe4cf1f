// Wall time and this process's CPU time (user + system, all its threads) around one piece of work, per unit.

export interface Cost {
  /** Wall-clock µs per unit. */
  wall: number;
  /** µs of this process's CPU per unit: the client's cost alone when the target runs in another process. */
  cpu: number;
}

export async function costPer(units: number, work: () => Promise<unknown>): Promise<Cost> {
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  await work();
  const wall = Number(process.hrtime.bigint() - start) / 1e3;
  const { user, system } = process.cpuUsage(cpuBefore);
  return { wall: wall / units, cpu: (user + system) / units };
}

/** `count` calls one after another. */
export function sequential(call: () => Promise<unknown>, count: number): Promise<Cost> {
  return costPer(count, async () => {
    for (let i = 0; i < count; i++) await call();
  });
}

/** `count` calls, `concurrency` of them in flight at any time. */
export function inFlight(call: () => Promise<unknown>, count: number, concurrency: number): Promise<Cost> {
  let next = 0;
  const worker = async () => {
    while (next++ < count) await call();
  };
  return costPer(count, () => Promise.all(Array.from({ length: concurrency }, worker)));
}
