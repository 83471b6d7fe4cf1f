// The registry as tests drive it: every operation and resource of the contract (generated/registry.js),
// and the request addressing an instance, its path parameters taken from the instance's fields as the
// registry ties them. No operation or resource is named here: what holds for one holds for each.
import { responseExamples } from '../../generated/contract.js';
import { operationRegistry, resourceRegistry } from '../../generated/registry.js';
import type { OperationId } from '../../src/client/index.ts';
import { buildPath } from '../../src/client/url.ts';

/** A path parameter or query parameter of the registry, and the field tied to it. */
export interface Tied {
  name: string;
  key: string;
  field: string | null;
}

/** An operation's registry entry, read loosely (the same test runs on a contract with more resources). */
export interface Entry {
  id: OperationId;
  action: 'list' | 'fetch' | 'delete';
  resource: string;
  method: string;
  path: string;
  sid: Tied | null;
  parents: readonly Tied[];
  list: { key: string; page: string; filters: readonly Tied[]; paging: readonly Tied[] } | null;
  success: { status: number; mediaType: string | null; schema: string | null };
}

/** A resource of the registry. */
export interface Resource {
  schema: string;
  singular: string;
  plural: string;
  operations: Partial<Record<Entry['action'], OperationId>>;
}

export const entries = Object.values(operationRegistry) as unknown as Entry[];
export const registeredResources = Object.values(resourceRegistry) as unknown as Resource[];

/** A resource's operation of an action, if it has one. */
export const entryOf = (resource: Resource, action: Entry['action']): Entry | undefined =>
  entries.find((e) => e.resource === resource.schema && e.action === action);

/** The path of an operation for an instance: its path parameters from the instance's fields. */
export function pathFor(entry: Entry, instance: Record<string, unknown>): string {
  const tied = entry.sid ? [...entry.parents, entry.sid] : entry.parents;
  return buildPath(
    entry.path,
    Object.fromEntries(tied.map((p) => [p.name, String(instance[p.field ?? ''])])),
  );
}

/** The first example the contract gives an operation's success. */
export function successExample(entry: Entry): unknown {
  const byStatus = (responseExamples as unknown as Record<string, Record<string, Record<string, unknown>>>)[
    entry.id
  ];
  const [first] = Object.values(
    byStatus?.[String(entry.success.status)]?.[entry.success.mediaType ?? ''] ?? {},
  );
  return structuredClone(first);
}

/** A resource's example instance: its fetch's success example. */
export function exampleInstance(resource: Resource): Record<string, unknown> {
  const fetch = entryOf(resource, 'fetch');
  if (!fetch) throw new Error(`${resource.schema} has no fetch operation to take its example from`);
  return successExample(fetch) as Record<string, unknown>;
}
