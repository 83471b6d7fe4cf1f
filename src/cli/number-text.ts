// A number of a JSON body as the service wrote it: JSON.parse rounds an integer past 2^53 (and Node 20's
// reviver is given no source text), so a report that quotes a number finds its literal here, by one
// bounded scan of the body's text.

/** The most characters of a literal kept: more than a quote shows (MAX_QUOTE), so a quote still says it was cut. */
export const MAX_NUMBER_TEXT = 256;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /[ \t\n\r]*/y;

/** A scan of a JSON text already parsed (so well-formed and no deeper than the parser allowed). */
class Scan {
  at = 0;
  constructor(readonly text: string) {}

  space(): void {
    SPACE.lastIndex = this.at;
    SPACE.test(this.text);
    this.at = SPACE.lastIndex;
  }

  /** Past the string at `at` (its opening quote); its decoded value when `decode`. */
  string(decode: boolean): string | undefined {
    const start = this.at;
    for (this.at++; this.at < this.text.length && this.text.charCodeAt(this.at) !== 34; this.at++)
      if (this.text.charCodeAt(this.at) === 92) this.at++;
    this.at++;
    return decode ? (JSON.parse(this.text.slice(start, this.at)) as string) : undefined;
  }

  /** Past the value at `at`; the literal of the number at the end of `path` within it (no path: none wanted). */
  value(path: readonly (string | number)[] | undefined): string | undefined {
    this.space();
    const c = this.text[this.at];
    if (c === '{' || c === '[') return this.container(c === '{', path);
    if (c === '"') return this.string(false);
    NUMBER.lastIndex = this.at;
    if (NUMBER.test(this.text)) {
      const start = this.at;
      this.at = NUMBER.lastIndex;
      if (path?.length !== 0) return undefined;
      // A copy, not a slice: a slice would keep the whole body alive for as long as the report keeps it.
      return [...this.text.slice(start, Math.min(this.at, start + MAX_NUMBER_TEXT))].join('');
    }
    this.at += c === 'n' || c === 't' ? 4 : 5; // null, true, false
    return undefined;
  }

  /** Past an object or array; the last member named by `path[0]` is followed (a repeated key: the parser keeps the last). */
  container(object: boolean, path: readonly (string | number)[] | undefined): string | undefined {
    let found: string | undefined;
    this.at++;
    for (let index = 0; ; index++) {
      this.space();
      if (this.text[this.at] === (object ? '}' : ']')) break;
      let name: string | number = index;
      if (object) {
        name = this.string(path !== undefined && path.length > 0) as string;
        this.space();
        this.at++; // :
      }
      const wanted = path !== undefined && path.length > 0 && String(name) === String(path[0]);
      const literal = this.value(wanted ? path.slice(1) : undefined);
      if (wanted) found = literal;
      this.space();
      if (this.text[this.at] === ',') this.at++;
    }
    this.at++;
    return found;
  }
}

/**
 * The source text of the number at `path` in a JSON text that parsed (keys and array indexes), or undefined
 * when no number is there. One pass over the text, at most as deep as it nests; the literal is cut at
 * MAX_NUMBER_TEXT characters.
 */
export function numberText(text: string, path: readonly (string | number)[]): string | undefined {
  if (path.length === 0) return undefined;
  try {
    return new Scan(text).value(path);
  } catch {
    return undefined;
  }
}
