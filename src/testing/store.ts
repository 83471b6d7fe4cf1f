// The instances of one resource of a fake, held so that each operation costs what it answers: a fetch or a
// delete one lookup, a page the instances it holds (plus the ones its filter passes over), whatever it holds in all.

/** An instance as stored: its SID, and the path of its parents (`/v1/Services/IS…`; '' for none). */
export interface Keyed<T> {
  sid: string;
  parent: string;
  instance: T;
}

/** An instance held, in the order it was given (`seq`); a deleted one stays until the next compaction. */
interface Entry<T> extends Keyed<T> {
  seq: number;
  gone: boolean;
}

/** One page found: its instances, and where the pages beside it start (undefined: there is none). */
export interface Found<T> {
  items: T[];
  /** The `seq` the next page starts at. */
  next?: number;
  /** The `seq` the previous page starts at (0 for the first page). */
  previous?: number;
}

/** Where a page starts: at a `seq` (a page token's), or after `skip` kept instances from the first. */
export interface PageStart {
  start?: number;
  skip?: number;
}

/** The instances of a resource: in order, by SID, and by parent. */
export class InstanceStore<T> {
  private all: Entry<T>[] = [];
  private readonly bySid = new Map<string, Entry<T>>();
  private readonly byParent = new Map<string, Entry<T>[]>();
  private gone = 0;

  /** Instances already checked, each with its SID (each SID once) and its parents' path. */
  constructor(keyed: readonly Keyed<T>[]) {
    for (const { sid, parent, instance } of keyed) {
      const entry = { seq: this.all.length, sid, parent, instance, gone: false };
      this.all.push(entry);
      this.bySid.set(sid, entry);
      const held = this.byParent.get(parent);
      if (held) held.push(entry);
      else this.byParent.set(parent, [entry]);
    }
  }

  /** Every instance held, in order. */
  list(): T[] {
    return this.all.filter((e) => !e.gone).map((e) => e.instance);
  }

  get size(): number {
    return this.all.length - this.gone;
  }

  /** The instance with this SID under these parents. */
  find(parent: string, sid: string): T | undefined {
    const entry = this.bySid.get(sid);
    return entry && !entry.gone && entry.parent === parent ? entry.instance : undefined;
  }

  /** Deletes the instance with this SID under these parents (under any, without them); whether there was one. */
  remove(parent: string | undefined, sid: string): boolean {
    const entry = this.bySid.get(sid);
    if (!entry || entry.gone || (parent !== undefined && entry.parent !== parent)) return false;
    entry.gone = true;
    this.bySid.delete(sid);
    // Deleted entries are dropped once they are half of what is held: a delete costs O(1) amortized.
    if (++this.gone * 2 > this.all.length) this.compact();
    return true;
  }

  /** A page of the instances under a parent that `keep` passes: `size` of them from where `at` says. */
  page(parent: string, keep: (instance: T) => boolean, size: number, at: PageStart): Found<T> {
    const held = this.byParent.get(parent) ?? [];
    let i = at.start === undefined ? 0 : firstAtOrAfter(held, at.start);
    const kept = (e: Entry<T> | undefined) => e !== undefined && !e.gone && keep(e.instance);
    for (let skip = at.start === undefined ? (at.skip ?? 0) : 0; skip > 0 && i < held.length; i++)
      if (kept(held[i])) skip--;
    const from = i;
    const found: Found<T> = { items: [] };
    for (; i < held.length && found.items.length < size; i++)
      if (kept(held[i])) found.items.push((held[i] as Entry<T>).instance);
    while (i < held.length && !kept(held[i])) i++;
    if (i < held.length) found.next = (held[i] as Entry<T>).seq;
    if (from > 0) {
      // The previous page: the `size` kept instances before this one, read backwards.
      let j = from - 1;
      for (let count = 0; j >= 0; j--) if (kept(held[j]) && ++count === size) break;
      found.previous = j > 0 ? (held[j] as Entry<T>).seq : 0;
    }
    return found;
  }

  private compact(): void {
    this.all = this.all.filter((e) => !e.gone);
    for (const [parent, held] of this.byParent) {
      const left = held.filter((e) => !e.gone);
      if (left.length) this.byParent.set(parent, left);
      else this.byParent.delete(parent);
    }
    this.gone = 0;
  }
}

/** The index of the first entry whose `seq` is at least `seq` (entries are in `seq` order). */
function firstAtOrAfter(held: readonly { seq: number }[], seq: number): number {
  let low = 0;
  let high = held.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((held[mid] as { seq: number }).seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
