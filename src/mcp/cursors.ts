// The cursors a list tool hands out: opaque random names for the next page of a walk the server holds,
// each tied to its tool and to the arguments of the call that made it; only the most recent are kept.
import { randomBytes } from 'node:crypto';

/** The most cursors held at once: past it the oldest is forgotten. Each holds one page (see MAX_MCP_RESPONSE_BYTES). */
export const MAX_CURSORS = 64;
/** A cursor's form: 16 random bytes, base64url. */
const FORM = /^[A-Za-z0-9_-]{22}$/;
export const CURSOR_RULE = 'a cursor a previous page of this list returned (22 characters of base64url)';

export interface Held<Page> {
  tool: string;
  /** The call's arguments but the cursor, as canonical JSON. */
  args: string;
  /** Fetches the next page (again, when asked again). */
  next: (signal: AbortSignal) => Promise<Page | undefined>;
}

/** What a cursor leads to, or why it leads nowhere (said to the caller as the rule it broke). */
export type Taken<Page> = { held: Held<Page> } | { expected: string };

/** Canonical JSON of arguments: keys sorted at every level, so the same arguments give the same text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export class Cursors<Page> {
  readonly #held = new Map<string, Held<Page>>();
  constructor(readonly max = MAX_CURSORS) {}

  /** A new cursor for the next page; the oldest is forgotten past `max`. */
  issue(held: Held<Page>): string {
    const cursor = randomBytes(16).toString('base64url');
    this.#held.set(cursor, held);
    for (const oldest of this.#held.keys()) {
      if (this.#held.size <= this.max) break;
      this.#held.delete(oldest);
    }
    return cursor;
  }

  /**
   * What `cursor` leads to, for this tool and these arguments. It stays held: asked again (a retry after
   * a failure), it fetches the same page again.
   */
  take(cursor: unknown, tool: string, args: string): Taken<Page> {
    if (typeof cursor !== 'string' || !FORM.test(cursor)) return { expected: CURSOR_RULE };
    const held = this.#held.get(cursor);
    if (!held)
      return {
        expected: `${CURSOR_RULE} that this server still holds (it keeps the last ${this.max}; list again without one)`,
      };
    if (held.tool !== tool) return { expected: `a cursor of ${tool} (this one is of ${held.tool})` };
    if (held.args !== args)
      return { expected: `a cursor given with the same arguments as the call that returned it` };
    return { held };
  }
}
