// Contract coverage: which of the contract's documented outcomes (generated/coverage-model.js) an answer
// exercised, recorded as the fake answers or as verify sees its target answer, and the file format that
// carries it (versioned, naming the contract it was measured against) for `bindings-contract coverage`.
// Every item's name is made once, when this module loads: recording an answer counts, it builds no string.
import { coverageModel } from '../../generated/coverage-model.js';
import { Recent } from '../client/recent.js';
import {
  headerItem,
  mediaItem,
  pagingItem,
  parameterItem,
  parameterValueItem,
  propertyItem,
  responseValueItem,
  statusItem,
} from './coverage-items.js';

/** What a coverage file says it is. */
export const COVERAGE_FORMAT = 'conversations-bindings-contract/coverage';
export const COVERAGE_VERSION = 1;

/** A coverage file: what measured it, against which contract, and how often each item was exercised. */
export interface CoverageData {
  format: typeof COVERAGE_FORMAT;
  version: typeof COVERAGE_VERSION;
  /** The contract's title and version (its `info`): files of another version are not merged. */
  contract: { title: string; version: string };
  /** What recorded it: `fake`, `verify`, or a merge of several. */
  source: string;
  /** Each item exercised at least once (its id, as the model names it), with how many times. */
  exercised: Record<string, number>;
}

/** One answer as the recorder sees it: the request it answered, and what it said. */
export interface Observed {
  operation: string;
  /** The request's path and query, as sent (to notice a next page being followed). */
  target: string;
  query: URLSearchParams;
  status: number;
  contentType: string;
  headers: { has(name: string): boolean };
  /** The parsed body; undefined for none. */
  body: unknown;
  /** How the answer reached its caller (`in-process`, `msw`, `mock --stateful over HTTP`): said in `source`. */
  via?: string;
}

const ids = coverageModel.items.map((item) => item.id);
const indexOf = new Map(ids.map((id, i) => [id, i]));
/** An item's index by its name (every name made here is the model's: the generator made it the same way). */
const at = (id: string) => indexOf.get(id) ?? -1;

interface Property {
  name: string;
  present: number;
  null: number;
  values?: Map<string, number>;
  of?: string;
  each?: string;
}
/** Each schema's properties, with the indexes of their items. */
const schemas = new Map(
  Object.entries(coverageModel.schemas).map(([schema, properties]) => [
    schema,
    Object.entries(properties).map(
      ([name, facts]): Property => ({
        name,
        present: at(propertyItem(schema, name, 'present')),
        null: facts.nullable ? at(propertyItem(schema, name, 'null')) : -1,
        ...(facts.values && {
          values: new Map(facts.values.map((v) => [v, at(responseValueItem(schema, name, v))])),
        }),
        ...(facts.of && { of: facts.of }),
        ...(facts.each && { each: facts.each }),
      }),
    ),
  ]),
);

/** Each operation's responses and parameters, with the indexes of their items. */
const operations = new Map(
  Object.entries(coverageModel.operations).map(([op, model]) => [
    op,
    {
      responses: new Map(
        Object.entries(model.responses).map(([status, r]) => [
          status,
          {
            status: at(statusItem(op, status)),
            types: new Map(
              Object.entries(r.types).map(([t, schema]) => [
                t,
                { index: at(mediaItem(op, status, t)), schema },
              ]),
            ),
            headers: r.headers.map((h) => ({ name: h.toLowerCase(), index: at(headerItem(op, status, h)) })),
          },
        ]),
      ),
      parameters: model.parameters
        .filter((p) => p.in === 'query')
        .map((p) => ({
          name: p.name,
          given: at(parameterItem(op, p.name, true)),
          omitted: at(parameterItem(op, p.name, false)),
          values: new Map(
            [...(p.values ?? []), ...(p.bounds ?? []).map(String)].map((v) => [
              v,
              at(parameterValueItem(op, p.name, v)),
            ]),
          ),
        })),
      paged: model.paged && {
        ...model.paged,
        empty: at(pagingItem(op, 'empty page')),
        followed: at(pagingItem(op, 'next page followed')),
        last: at(pagingItem(op, 'last page reached')),
      },
    },
  ]),
);

/** The most memory a recorder keeps of the next pages it saw (to notice one followed), in bytes. */
export const NEXT_PAGES_MEMORY = 256 * 1024;

/** Records what answers exercised, item by item; `also` (a recorder of several sources) counts them too. */
export class CoverageRecorder {
  private readonly counts = new Uint32Array(ids.length);
  private readonly nextPages = new Recent<true>(NEXT_PAGES_MEMORY);
  private also?: CoverageRecorder | undefined;
  private readonly vias = new Set<string>();

  private hit(index: number): void {
    if (index < 0) return;
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    if (this.also) this.also.counts[index] = (this.also.counts[index] ?? 0) + 1;
  }

  record(x: Observed, also?: CoverageRecorder): void {
    const op = operations.get(x.operation);
    if (!op) return;
    this.also = also;
    if (x.via) for (const recorder of [this, also]) recorder?.vias.add(x.via);
    for (const p of op.parameters) {
      const given = x.query.getAll(p.name);
      this.hit(given.length ? p.given : p.omitted);
      for (const value of given) this.hit(p.values.get(value) ?? -1);
    }
    const key = op.responses.has(String(x.status)) ? String(x.status) : x.status >= 400 ? 'default' : '';
    const response = op.responses.get(key);
    if (!response) return;
    this.hit(response.status);
    for (const header of response.headers) if (x.headers.has(header.name)) this.hit(header.index);
    const media = response.types.get(x.contentType);
    if (!media) return;
    this.hit(media.index);
    if (x.status < 200 || x.status > 299) return;
    if (media.schema) this.walk(media.schema, x.body, 0);
    if (op.paged) this.paging(x, op.paged);
  }

  /** A list's paging outcomes: an empty page, a next page asked for as a page said, the last page. */
  private paging(
    x: Observed,
    paged: { items: string; meta: string; empty: number; followed: number; last: number },
  ): void {
    const body = x.body as Record<string, unknown> | undefined;
    const listed = body?.[paged.items];
    if (Array.isArray(listed) && listed.length === 0) this.hit(paged.empty);
    if (this.nextPages.has(x.target)) this.hit(paged.followed);
    const next = (body?.[paged.meta] as Record<string, unknown> | undefined)?.next_page_url;
    if (next === null) this.hit(paged.last);
    else if (typeof next === 'string')
      try {
        const url = new URL(next);
        this.nextPages.set(url.pathname + url.search, true);
      } catch {}
  }

  /** Each property of a value of a component schema: present, null, its enum value; then what it holds. */
  private walk(schema: string, value: unknown, depth: number): void {
    const properties = schemas.get(schema);
    if (!properties || depth > 8 || typeof value !== 'object' || value === null || Array.isArray(value))
      return;
    const object = value as Record<string, unknown>;
    for (const p of properties) {
      const field = object[p.name];
      if (field === undefined || !Object.hasOwn(object, p.name)) continue;
      if (field === null) {
        this.hit(p.null);
        continue;
      }
      this.hit(p.present);
      if (p.values && typeof field === 'string') this.hit(p.values.get(field) ?? -1);
      if (p.of) this.walk(p.of, field, depth + 1);
      if (p.each && Array.isArray(field)) for (const item of field) this.walk(p.each, item, depth + 1);
    }
  }

  /** What it recorded, as a coverage file; its source says how the answers reached their callers, if known. */
  data(source: string): CoverageData {
    const exercised: Record<string, number> = {};
    ids
      .map((id, i) => [id, this.counts[i] ?? 0] as const)
      .filter(([, count]) => count > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .forEach(([id, count]) => {
        exercised[id] = count;
      });
    return {
      format: COVERAGE_FORMAT,
      version: COVERAGE_VERSION,
      contract: { ...coverageModel.contract },
      source: this.vias.size ? `${source} (${[...this.vias].sort().join(', ')})` : source,
      exercised,
    };
  }

  clear(): void {
    this.counts.fill(0);
    this.vias.clear();
  }
}

/** What every fake of this process recorded (each fake also keeps its own). */
export const everyFake = new CoverageRecorder();

/**
 * What every fake this process made has exercised so far: one coverage file for a whole test run (write
 * it when the run ends, and gate it with `bindings-contract coverage`).
 */
export const coverageOfEveryFake = (): CoverageData => everyFake.data('fake');
