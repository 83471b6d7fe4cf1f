// The resources of the contract as the fake holds them, read once from the generated registry: each
// resource's schema and validator, the path parameters that name an instance (its SID and its parents,
// with the fields holding their values), its operations, and its parents' path (`/v1/Services/{ChatServiceSid}`).
import { operationFacts, responseExamples } from '../../generated/contract.js';
import { operationRegistry, resourceRegistry } from '../../generated/registry.js';
import type { Validator } from '../../generated/validators.js';
import * as validators from '../../generated/validators.js';
import type { components, OperationId } from '../client/types.js';
import { buildPath } from '../client/url.js';

/** A resource of the contract, by its component schema (`ServiceBinding`). */
export type ResourceName = keyof typeof resourceRegistry;
/** An operation's entry in the registry: what it does to which resource. */
export type RegistryEntry = (typeof operationRegistry)[OperationId];
type Schemas = components['schemas'];
/** An instance of a resource, as the contract's schema describes it. */
export type Instance<R extends ResourceName> = Schemas[R & keyof Schemas];
/** An instance as the fake takes it: any field may be left out, and arrays may be readonly (`as const`). */
export type InstanceFixture<R extends ResourceName> = {
  readonly [K in keyof Instance<R>]?: Instance<R>[K] extends infer V
    ? V extends readonly (infer Item)[]
      ? readonly Item[]
      : V
    : never;
};
type OperationsOf<R extends ResourceName> = (typeof resourceRegistry)[R]['operations'];
type EntryOf<R extends ResourceName> = (typeof operationRegistry)[OperationsOf<R>[keyof OperationsOf<R>] &
  OperationId];
/** The keys of the path parameters naming a resource's parents (`chatServiceSid`); never for one with none. */
export type ParentKey<R extends ResourceName> = EntryOf<R>['parents'][number]['key'];
/** One parent of a resource, by its path parameters' keys: `{ chatServiceSid: 'IS…' }`. */
export type ParentOf<R extends ResourceName> = { readonly [K in ParentKey<R>]: string };

/** A path parameter naming an instance or a parent: its name in the path, its key, the field holding it. */
export interface Naming {
  name: string;
  key: string;
  field: string | null;
  validate: Validator;
  expected: string;
}

/** What the fake knows of a resource, from the registry. */
export interface ResourceModel {
  name: ResourceName;
  /** Its name in words, lower case: `binding`, `bindings` (for messages). */
  singular: string;
  plural: string;
  operations: Partial<Record<RegistryEntry['action'], OperationId>>;
  /** The path parameter naming an instance (null when no operation addresses one). */
  sid: Naming | null;
  /** The path parameters naming its parents, outermost first (none for a top-level resource). */
  parents: readonly Naming[];
  /** Its parents' path, up to the last parent's parameter (`/v1/Services/{ChatServiceSid}`); '' for none. */
  parentTemplate: string;
  /** The path of each level of its parents, outermost first (the last is `parentTemplate`). */
  parentLevels: readonly string[];
  /** An instance's own path (its fetch's or delete's), or null. */
  instanceTemplate: string | null;
  /** The contract's validator of its schema. */
  validate: Validator;
  /** Where a field of one instance lies in a violation's path (what allowOffContract tolerates). */
  fieldPath: RegExp;
}

const entries = Object.values(operationRegistry) as RegistryEntry[];

/** A registry path parameter with its validator and expected form (operationFacts, by operation and name). */
function naming(entry: RegistryEntry, p: { name: string; key: string; field: string | null }): Naming {
  const facts = operationFacts[entry.id].parameters as readonly { name: string; in: string }[];
  const fact = facts.find((f) => f.in === 'path' && f.name === p.name) as unknown as Naming;
  return { name: p.name, key: p.key, field: p.field, validate: fact.validate, expected: fact.expected };
}

/** The path up to and including the last of these parameters (`/v1/Services/{ChatServiceSid}`). */
function prefixThrough(path: string, names: readonly string[]): string {
  const last = names.at(-1);
  if (last === undefined) return '';
  const end = path.indexOf(`{${last}}`);
  return end < 0 ? '' : path.slice(0, end + last.length + 2);
}

function modelOf(name: ResourceName): ResourceModel {
  const { singular, plural, operations } = resourceRegistry[name];
  const own = entries.filter((e) => e.resource === name);
  const addressing = own.find((e) => e.sid !== null);
  const first = (own.find((e) => e.action === 'list') ?? addressing ?? own[0]) as RegistryEntry;
  const parents = first.parents.map((p) => naming(first, p));
  const fetch = own.find((e) => e.action === 'fetch');
  const validate = (validators as unknown as Record<string, Validator>)[`validate${name}`] as Validator;
  return {
    name,
    singular: singular.toLowerCase(),
    plural: plural.toLowerCase(),
    operations: operations as ResourceModel['operations'],
    sid: addressing?.sid ? naming(addressing, addressing.sid) : null,
    parents,
    parentTemplate: prefixThrough(
      first.path,
      parents.map((p) => p.name),
    ),
    parentLevels: parents.map((_, i) =>
      prefixThrough(
        first.path,
        parents.slice(0, i + 1).map((p) => p.name),
      ),
    ),
    instanceTemplate: addressing?.path ?? null,
    validate,
    fieldPath: new RegExp((fetch && operationFacts[fetch.id].resourceField) ?? '^/[^/]'),
  };
}

/** Every resource of the contract, by its component schema. */
export const resources = Object.fromEntries(
  (Object.keys(resourceRegistry) as ResourceName[]).map((name) => [name, modelOf(name)]),
) as Record<ResourceName, ResourceModel>;

export const resourceNames = Object.keys(resources) as ResourceName[];

/** The model of the resource an operation acts on. */
export const resourceOf = (operation: OperationId): ResourceModel =>
  resources[operationRegistry[operation].resource as ResourceName];

/** The path of an instance's parents, from its path parameters by name ('' for a top-level resource). */
export const parentPath = (model: ResourceModel, values: Readonly<Record<string, string>>): string =>
  model.parentTemplate && buildPath(model.parentTemplate, values);

/** Each operation's parents' path, as its own path names them (`/v1/Services/{ChatServiceSid}`; '' for none). */
export const parentTemplates = Object.fromEntries(
  entries.map((e) => [
    e.id,
    prefixThrough(
      e.path,
      e.parents.map((p) => p.name),
    ),
  ]),
) as Record<OperationId, string>;

/** The paths an instance makes exist, as parents of what lies under them: each level of its parents'. */
export const parentPaths = (model: ResourceModel, values: Readonly<Record<string, string>>): string[] =>
  model.parentLevels.map((template) => buildPath(template, values));

type Examples = Record<string, Record<string, Record<string, unknown>>>;
/** The example bodies the contract gives an operation's success. */
function successExamples(operation: OperationId | undefined): unknown[] {
  if (operation === undefined) return [];
  const { status, mediaType } = operationRegistry[operation].success;
  const byStatus = (responseExamples as unknown as Record<string, Examples>)[operation] ?? {};
  return Object.values(byStatus[String(status)]?.[mediaType ?? ''] ?? {});
}

/**
 * The instances of a resource the contract's examples show: its fetch's success examples, then the items
 * of its list's, each once (by SID) and only if it keeps the schema and can be stored (its SID and its
 * parents' fields are strings).
 */
export function exampleInstances(model: ResourceModel): Record<string, unknown>[] {
  const { list, fetch } = model.operations;
  const key = list === undefined ? undefined : operationRegistry[list].list?.key;
  const listed = successExamples(list).flatMap((page) => {
    const items = key === undefined ? undefined : (page as Record<string, unknown> | null)?.[key];
    return Array.isArray(items) ? items : [];
  });
  const found = new Map<unknown, Record<string, unknown>>();
  const naming = model.sid ? [model.sid, ...model.parents] : [];
  for (const value of [...successExamples(fetch), ...listed] as (Record<string, unknown> | null)[]) {
    const storable = naming.every((p) => p.field !== null && typeof value?.[p.field] === 'string');
    const sid = value?.[model.sid?.field ?? ''];
    if (storable && !found.has(sid) && model.validate(value))
      found.set(sid, structuredClone(value) as Record<string, unknown>);
  }
  return [...found.values()];
}
