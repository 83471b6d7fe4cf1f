// The names of contract coverage items, in one place: scripts/generate-coverage-model.ts lists every item
// the contract documents with them, and the recorder names what it observes with them, so the two agree.

/** The dimensions of contract coverage: what kind of documented outcome an item is. */
export const DIMENSIONS = [
  'status',
  'media-type',
  'header',
  'parameter',
  'parameter-value',
  'property',
  'response-value',
  'paging',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** One documented outcome: its name (`FetchServiceBinding status 404`), its dimension, and what it belongs to. */
export interface CoverageItem {
  id: string;
  dimension: Dimension;
  /** The operation (`FetchServiceBinding`) or, for a body's properties, the schema (`ServiceBinding`). */
  scope: string;
}

export const statusItem = (op: string, status: string) => `${op} status ${status}`;
export const mediaItem = (op: string, status: string, type: string) => `${op} ${status} ${type}`;
export const headerItem = (op: string, status: string, header: string) => `${op} ${status} header ${header}`;
export const parameterItem = (op: string, name: string, given: boolean) =>
  `${op} ${name} ${given ? 'given' : 'omitted'}`;
export const parameterValueItem = (op: string, name: string, value: string | number) =>
  `${op} ${name}=${value}`;
export const propertyItem = (schema: string, property: string, seen: 'present' | 'null') =>
  `${schema}.${property} ${seen}`;
export const responseValueItem = (schema: string, property: string, value: string) =>
  `${schema}.${property}=${value}`;
export const PAGING = ['empty page', 'next page followed', 'last page reached'] as const;
export const pagingItem = (op: string, outcome: (typeof PAGING)[number]) => `${op} ${outcome}`;
