// Contract coverage: which of the contract's documented outcomes (generated/coverage-model.js) an answer
// exercised, recorded as the fake answers or as verify sees its target answer, and the file format that
// carries it (versioned, naming the contract it was measured against) for `bindings-contract coverage`.
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
}

/** The most memory a recorder keeps of the next pages it saw (to notice one followed), in bytes. */
const NEXT_PAGES_MEMORY = 256 * 1024;

/** Records what answers exercised. Each record costs a few Map updates: a fake stays as fast (bench/). */
export class CoverageRecorder {
  private readonly counts = new Map<string, number>();
  private readonly nextPages = new Recent<true>(NEXT_PAGES_MEMORY);

  /** What the current record() has exercised so far. */
  private seen: string[] = [];

  private hit(id: string): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    this.seen.push(id);
  }

  /** Counts items exercised elsewhere (what another recorder's record() returned). */
  add(ids: readonly string[]): void {
    for (const id of ids) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  /** Records what the answer exercised; returns the items, for a recorder that collects more than one's. */
  record(x: Observed): string[] {
    this.seen = [];
    this.observe(x);
    return this.seen;
  }

  private observe(x: Observed): void {
    const op = coverageModel.operations[x.operation];
    if (!op) return;
    const status =
      String(x.status) in op.responses
        ? String(x.status)
        : x.status >= 400 && op.responses.default
          ? 'default'
          : undefined;
    for (const p of op.parameters) {
      if (p.in !== 'query') continue;
      const given = x.query.getAll(p.name);
      this.hit(parameterItem(x.operation, p.name, given.length > 0));
      for (const value of given) {
        if (p.values?.includes(value)) this.hit(parameterValueItem(x.operation, p.name, value));
        if (p.bounds?.some((b) => String(b) === value))
          this.hit(parameterValueItem(x.operation, p.name, value));
      }
    }
    if (status === undefined) return;
    this.hit(statusItem(x.operation, status));
    const response = op.responses[status];
    for (const header of response?.headers ?? [])
      if (x.headers.has(header)) this.hit(headerItem(x.operation, status, header));
    if (!response || !(x.contentType in response.types)) return;
    this.hit(mediaItem(x.operation, status, x.contentType));
    const schema = response.types[x.contentType];
    if (status.startsWith('2') && schema) this.walk(schema, x.body, 0);
    if (op.paged && status.startsWith('2')) this.paging(x, op.paged);
  }

  /** A list's paging outcomes: an empty page, a next page asked for as a page said, the last page. */
  private paging(x: Observed, { items, meta }: { items: string; meta: string }): void {
    const body = x.body as Record<string, unknown> | undefined;
    const listed = body?.[items];
    if (Array.isArray(listed) && listed.length === 0) this.hit(pagingItem(x.operation, 'empty page'));
    if (this.nextPages.has(x.target)) this.hit(pagingItem(x.operation, 'next page followed'));
    const next = (body?.[meta] as Record<string, unknown> | undefined)?.next_page_url;
    if (next === null) this.hit(pagingItem(x.operation, 'last page reached'));
    else if (typeof next === 'string')
      try {
        const url = new URL(next);
        this.nextPages.set(url.pathname + url.search, true);
      } catch {}
  }

  /** Each property of a value of a component schema: present, null, its enum value; then what it holds. */
  private walk(schema: string, value: unknown, depth: number): void {
    const properties = coverageModel.schemas[schema];
    if (!properties || depth > 8 || typeof value !== 'object' || value === null || Array.isArray(value))
      return;
    const object = value as Record<string, unknown>;
    for (const name in properties) {
      const facts = properties[name];
      const field = object[name];
      if (field === undefined || !Object.hasOwn(object, name)) continue;
      if (field === null) {
        if (facts?.nullable) this.hit(propertyItem(schema, name, 'null'));
        continue;
      }
      this.hit(propertyItem(schema, name, 'present'));
      if (facts?.values && typeof field === 'string' && facts.values.includes(field))
        this.hit(responseValueItem(schema, name, field));
      if (facts?.of) this.walk(facts.of, field, depth + 1);
      if (facts?.each && Array.isArray(field))
        for (const item of field) this.walk(facts.each, item, depth + 1);
    }
  }

  /** What it recorded, as a coverage file. */
  data(source: string): CoverageData {
    return {
      format: COVERAGE_FORMAT,
      version: COVERAGE_VERSION,
      contract: { ...coverageModel.contract },
      source,
      exercised: Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1))),
    };
  }

  clear(): void {
    this.counts.clear();
  }
}

/** What every fake of this process recorded (each fake also keeps its own). */
export const everyFake = new CoverageRecorder();

/**
 * What every fake this process made has exercised so far: one coverage file for a whole test run (write
 * it when the run ends, and gate it with `bindings-contract coverage`).
 */
export const coverageOfEveryFake = (): CoverageData => everyFake.data('fake');
