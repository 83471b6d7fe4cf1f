// A bounded memory of strings: what a list walk remembers to notice a repeat, counted in bytes.

/**
 * A Map that forgets its oldest entries once the keys it holds pass `budget` bytes (2 a character, plus
 * 64 an entry): what it keeps does not grow with what it is given.
 */
export class Recent<V> {
  private readonly entries = new Map<string, V>();
  /** The keys, oldest first, from `head` on (a queue: forgetting one costs no scan). */
  private order: string[] = [];
  private head = 0;
  private bytes = 0;
  constructor(private readonly budget: number) {}
  get(key: string): V | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  set(key: string, value: V): void {
    if (this.entries.has(key)) this.entries.set(key, value);
    else this.remember([key], value);
  }
  /**
   * Remembers keys it does not hold yet, each with the value, in order. Those that would be forgotten
   * before this call ends (more than the budget holds) are not added at all: a page larger than the
   * memory costs no churn.
   */
  remember(keys: readonly string[], value: V): void {
    let room = this.budget;
    let from = keys.length;
    // A key alone over the budget is not kept: its repeat goes unnoticed, maxPages still bounds the walk.
    while (from > 0 && room >= cost(keys[from - 1] as string)) room -= cost(keys[--from] as string);
    for (let i = from; i < keys.length; i++) {
      const key = keys[i] as string;
      this.bytes += cost(key);
      this.order.push(key);
      this.entries.set(key, value);
    }
    while (this.bytes > this.budget) {
      const oldest = this.order[this.head++] as string;
      this.entries.delete(oldest);
      this.bytes -= cost(oldest);
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
/** What one entry is counted as: 2 bytes a character, and 64 for the entry itself. */
export const ENTRY_BYTES = 64;
export const cost = (key: string) => 2 * key.length + ENTRY_BYTES;
