// The fake's bindings, held so that each operation costs what it answers: a fetch or a delete one lookup,
// a page the bindings it holds (plus the ones its filter passes over), whatever the fake holds in all.

import type { Binding } from '../client/types.js';

/** A binding held, in the order it was given (`seq`); a deleted one stays until the next compaction. */
interface Entry {
  seq: number;
  binding: Binding;
  gone: boolean;
}

/** One page found: its bindings, and where the pages beside it start (undefined: there is none). */
export interface Found {
  bindings: Binding[];
  /** The `seq` the next page starts at. */
  next?: number;
  /** The `seq` the previous page starts at (0 for the first page). */
  previous?: number;
}

/** The bindings of a fake: in order, by SID, and by service; and the services that exist. */
export class BindingStore {
  private all: Entry[] = [];
  private readonly bySid = new Map<string, Entry>();
  private readonly byService = new Map<string, Entry[]>();
  private gone = 0;
  /** The Conversation Services that exist: those named, and every one a binding held was in. */
  readonly services: ReadonlySet<string>;

  /**
   * Bindings already checked (each with a `sid` and a `chat_service_sid`, the sid once), and services that
   * exist besides theirs (already checked). A service stays when its last binding goes: a delete of a
   * binding never deletes its service.
   */
  constructor(bindings: readonly Binding[], services: Iterable<string> = []) {
    const known = new Set(services);
    this.services = known;
    for (const binding of bindings) {
      known.add(binding.chat_service_sid as string);
      const entry = { seq: this.all.length, binding, gone: false };
      this.all.push(entry);
      this.bySid.set(binding.sid as string, entry);
      const service = binding.chat_service_sid as string;
      const held = this.byService.get(service);
      if (held) held.push(entry);
      else this.byService.set(service, [entry]);
    }
  }

  /** Every binding held, in order. */
  list(): Binding[] {
    return this.all.filter((e) => !e.gone).map((e) => e.binding);
  }

  get size(): number {
    return this.all.length - this.gone;
  }

  /** Whether a Conversation Service exists (a list of any other is not found). */
  hasService(service: string): boolean {
    return this.services.has(service);
  }

  /** The binding of a service with this SID. */
  find(service: string, sid: string): Binding | undefined {
    const entry = this.bySid.get(sid);
    return entry && !entry.gone && entry.binding.chat_service_sid === service ? entry.binding : undefined;
  }

  /** Deletes the binding of a service with this SID (of any service, without one); whether there was one. */
  remove(service: string | undefined, sid: string): boolean {
    const entry = this.bySid.get(sid);
    if (!entry || entry.gone || (service !== undefined && entry.binding.chat_service_sid !== service))
      return false;
    entry.gone = true;
    this.bySid.delete(sid);
    // Deleted entries are dropped once they are half of what is held: a delete costs O(1) amortized.
    if (++this.gone * 2 > this.all.length) this.compact();
    return true;
  }

  /**
   * A page of a service's bindings that `keep` passes: `size` of them from `start` (a `seq`), or, without
   * a start, after `skip` such bindings from the first.
   */
  page(service: string, keep: (b: Binding) => boolean, size: number, at: { start?: number; skip?: number }) {
    const held = this.byService.get(service) ?? [];
    let i = at.start === undefined ? 0 : firstAtOrAfter(held, at.start);
    const kept = (e: Entry | undefined) => e !== undefined && !e.gone && keep(e.binding);
    for (let skip = at.start === undefined ? (at.skip ?? 0) : 0; skip > 0 && i < held.length; i++)
      if (kept(held[i])) skip--;
    const from = i;
    const found: Found = { bindings: [] };
    for (; i < held.length && found.bindings.length < size; i++)
      if (kept(held[i])) found.bindings.push((held[i] as Entry).binding);
    while (i < held.length && !kept(held[i])) i++;
    if (i < held.length) found.next = (held[i] as Entry).seq;
    if (from > 0) {
      // The previous page: the `size` kept bindings before this one, read backwards.
      let j = from - 1;
      for (let count = 0; j >= 0; j--) if (kept(held[j]) && ++count === size) break;
      found.previous = j > 0 ? (held[j] as Entry).seq : 0;
    }
    return found;
  }

  private compact(): void {
    this.all = this.all.filter((e) => !e.gone);
    for (const [service, held] of this.byService) {
      const left = held.filter((e) => !e.gone);
      if (left.length) this.byService.set(service, left);
      else this.byService.delete(service);
    }
    this.gone = 0;
  }
}

/** The index of the first entry whose `seq` is at least `seq` (entries are in `seq` order). */
function firstAtOrAfter(held: readonly Entry[], seq: number): number {
  let low = 0;
  let high = held.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((held[mid] as Entry).seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
