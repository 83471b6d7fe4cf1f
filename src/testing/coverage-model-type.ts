// The shape of generated/coverage-model.js: the items the contract documents, and the facts the recorder
// reads to name what it sees (kept here so the generated declaration stays one line).
import type { CoverageItem } from './coverage-items.js';

export interface PropertyFacts {
  nullable?: true;
  /** The enum values a response may carry in this property. */
  values?: string[];
  /** The component schema this property holds (an object). */
  of?: string;
  /** The component schema each item of this array property is. */
  each?: string;
}

export interface OperationModel {
  method: string;
  path: string;
  /** Each documented status (or `default`): its media types with their body's schema, and its headers. */
  responses: Record<string, { types: Record<string, string | null>; headers: string[] }>;
  parameters: { name: string; in: string; values?: string[]; bounds?: number[] }[];
  /** A list's paging: the property holding its items, and the one holding `next_page_url`. */
  paged: { items: string; meta: string } | null;
}

export interface CoverageModel {
  contract: { title: string; version: string };
  items: CoverageItem[];
  operations: Record<string, OperationModel>;
  schemas: Record<string, Record<string, PropertyFacts>>;
}
