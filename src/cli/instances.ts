// The instances `verify` works on, and the flags that name them, both taken from the registry: a parent's
// flag by its key (--chat-service-sid), a resource's by its singular and its SID's key (--binding-sid,
// --delete-binding-sid), so the Binding's keep their 1.x names and a resource added to the contract gets
// its own. An instance not named is found by listing, else taken from the contract's examples.
import { exampleParameters } from '../../generated/contract.js';
import { quoted } from '../client/quote.js';
import type { OperationId } from '../client/types.js';
import { type Exchange, type GivenInstances, type Instances, type OperationProbe, Skip } from './check.js';
import { UsageError } from './flags.js';
import {
  nounOf,
  type Operation,
  operation,
  operations,
  type PathParameter,
  parameterFacts,
  type Resource,
  resources,
} from './operations.js';
import { patternShape, type Random, validValue } from './seeded.js';
import type { Flags } from './usage.js';

/** What a flag names: a parent's value by its key, or by resource the instance to check or to delete. */
type Role = 'parents' | 'known' | 'deletable';

interface InstanceFlag {
  flag: string;
  role: Role;
  /** The parent's key (`chatServiceSid`), or the resource (its component schema). */
  key: string;
  /** The operation whose parameter rule checks the value, and that parameter. */
  operation: OperationId;
  parameter: PathParameter;
  about: string;
  default?: string;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^-/, '');
const opOf = (resource: Resource, action: 'fetch' | 'delete') => {
  const id = resource.operations[action];
  return id ? operation(id) : undefined;
};

/** Every flag that names an instance, parents first, then each resource's (the one to check, the one to delete). */
export const instanceFlags: readonly InstanceFlag[] = (() => {
  const flags: InstanceFlag[] = [];
  for (const op of operations)
    for (const p of op.parents)
      if (!flags.some((f) => f.key === p.key))
        flags.push({
          flag: kebab(p.key),
          role: 'parents',
          key: p.key,
          operation: op.id,
          parameter: p,
          about: `the ${p.name} of the ${nounOf(resources.find((r) => r.schema === op.resource) as Resource, true)} checked`,
          default: "the contract's example",
        });
  for (const resource of resources) {
    const [fetch, del] = [opOf(resource, 'fetch'), opOf(resource, 'delete')];
    const noun = nounOf(resource);
    if (fetch?.sid)
      flags.push({
        ...{
          flag: `${kebab(resource.singular)}-${kebab(fetch.sid.key)}`,
          role: 'known',
          key: resource.schema,
        },
        ...{ operation: fetch.id, parameter: fetch.sid, about: `a ${noun} that exists on the target` },
        default: "the first listed, else the contract's example",
      });
    if (del?.sid)
      flags.push({
        ...{ flag: `delete-${kebab(resource.singular)}-${kebab(del.sid.key)}`, role: 'deletable' },
        ...{ key: resource.schema, operation: del.id, parameter: del.sid },
        about: `a ${noun} verify may delete: runs the destructive checks (nothing is deleted without it)`,
      });
  }
  return flags;
})();

/** The flag naming a resource's instance to check or to delete (`--delete-binding-sid`). */
export const flagOf = (role: 'known' | 'deletable', resource: string) =>
  `--${instanceFlags.find((f) => f.role === role && f.key === resource)?.flag}`;

/** The instance flags as verify parses them and its help shows them (`--binding-sid BS…`). */
export const INSTANCE_FLAGS: Flags = Object.fromEntries(
  instanceFlags.map((f) => {
    const prefix = f.parameter.pattern ? patternShape(f.parameter.pattern).prefix : '';
    const value = `${prefix || 'SID'}…`;
    return [f.flag, { type: 'string', value, about: f.about, ...(f.default && { default: f.default }) }];
  }),
);

/** The instances named by the flags, each checked by its parameter's rule; a bad one is a UsageError naming it. */
export function givenInstances(values: Record<string, unknown>): GivenInstances {
  const given: Required<GivenInstances> = { parents: {}, known: {}, deletable: {} };
  for (const f of instanceFlags) {
    const value = values[f.flag];
    if (typeof value !== 'string') continue;
    const rule = parameterFacts(f.operation, f.parameter.key);
    if (rule && !rule.validate(value))
      throw new UsageError(`--${f.flag} must be ${rule.expected}, got ${quoted(value)}`);
    given[f.role][f.key] = value;
  }
  for (const resource of resources)
    if (given.deletable[resource.schema] && given.deletable[resource.schema] === given.known[resource.schema])
      throw new UsageError(
        `${flagOf('deletable', resource.schema)} must name another ${nounOf(resource)} than ${flagOf('known', resource.schema)}: the known one must stay`,
      );
  return given;
}

/** The flags that name a run's instances, as a replay repeats them: the same instances, not ones found anew. */
export function instanceReplayFlags(instances: Instances): string[] {
  return instanceFlags.flatMap((f) => {
    const value =
      f.role === 'parents'
        ? instances.parents[f.key]
        : f.role === 'known'
          ? instances.known[f.key]?.sid
          : instances.deletable[f.key];
    return value === undefined ? [] : [`--${f.flag}`, value];
  });
}

/** A list page's items (under the registry's list key), or undefined when the body is no such page. */
export function itemsOf(op: Operation, body: unknown): unknown[] | undefined {
  const items =
    op.list && typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)[op.list.key]
      : undefined;
  return Array.isArray(items) ? items : undefined;
}

/** The contract's example of an operation's parameter, by its key (`exampleParameters`). */
const exampleOf = (op: OperationId, key: string): string | undefined =>
  (exampleParameters as Record<string, Record<string, string> | undefined>)[op]?.[key];

/** Every parent's value: named, else the contract's example, else one made from its rule. */
function parentsOf(given: GivenInstances, random: Random): Record<string, string> {
  const parents: Record<string, string> = {};
  for (const f of instanceFlags.filter((flag) => flag.role === 'parents')) {
    const { pattern } = f.parameter;
    parents[f.key] =
      given.parents?.[f.key] ??
      exampleOf(f.operation, f.parameter.key) ??
      (pattern ? validValue(pattern, random) : 'unknown');
  }
  return parents;
}

/**
 * The run's instances: each resource's known one as named, else the first its list shows (not the one that
 * may be deleted), else the contract's example; `list` sends the first page of a list.
 */
export async function findInstances(
  given: GivenInstances,
  random: Random,
  list: (op: Operation, instances: Instances) => Promise<Exchange>,
): Promise<Instances> {
  const instances: Instances = {
    parents: parentsOf(given, random),
    known: {},
    deletable: { ...given.deletable },
  };
  for (const resource of resources) {
    const fetch = opOf(resource, 'fetch');
    if (!fetch?.sid) continue;
    const { sid } = fetch;
    const usable = (value: unknown): value is string =>
      typeof value === 'string' &&
      value !== instances.deletable[resource.schema] &&
      parameterFacts(fetch.id, sid.key)?.validate(value) === true;
    const named = given.known?.[resource.schema];
    if (named !== undefined) {
      instances.known[resource.schema] = { sid: named, found: 'named' };
      continue;
    }
    const listOp = resource.operations.list && operation(resource.operations.list);
    const page = listOp ? await list(listOp, instances) : undefined;
    const listed =
      page &&
      itemsOf(listOp as Operation, page.body)
        ?.map((i) => fieldOf(i, sid.field))
        .find(usable);
    const example = exampleOf(fetch.id, sid.key);
    if (listed) instances.known[resource.schema] = { sid: listed, found: 'listed' };
    else if (usable(example)) instances.known[resource.schema] = { sid: example, found: 'example' };
  }
  return instances;
}

/** A field of an item of a body, when the item is an object. */
export const fieldOf = (item: unknown, field: string | null): unknown =>
  field && typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[field] : undefined;

/** An operation's path parameters for a request, percent-encoded: its parents, and the instance it addresses. */
export function pathOf(op: Operation, instances: Instances, sid?: string): Record<string, string> {
  const path: Record<string, string> = {};
  for (const p of op.parents) path[p.key] = encodeURIComponent(instances.parents[p.key] ?? '');
  if (op.sid && sid !== undefined) path[op.sid.key] = encodeURIComponent(sid);
  return path;
}

/** A SID of the operation's resource that no instance of the run has: one the target does not hold. */
export function unknownSid(op: Operation, instances: Instances, random: Random): string {
  const taken = [instances.known[op.resource]?.sid, instances.deletable[op.resource]];
  let sid = validValue(op.sid?.pattern ?? '', random);
  while (taken.includes(sid)) sid = validValue(op.sid?.pattern ?? '', random);
  return sid;
}

/** The known instance of an operation's resource; the check is skipped, saying why, when there is none. */
export function knownSid(op: Operation, instances: Instances): string {
  const known = instances.known[op.resource]?.sid;
  if (known === undefined)
    throw new Skip(
      `no ${nounOf(resources.find((r) => r.schema === op.resource) as Resource)} known: none was listed and the contract shows none; name one with ${flagOf('known', op.resource)}`,
    );
  return known;
}

/**
 * The path a check sends to by default: a list's parents; a fetch's known instance (else one the target
 * does not hold); a delete's an instance the target does not hold, so nothing is deleted that was not named.
 */
export function usualPath({ operation: op, instances, random }: OperationProbe): Record<string, string> {
  if (!op.sid) return pathOf(op, instances);
  const known = op.action === 'fetch' ? instances.known[op.resource]?.sid : undefined;
  return pathOf(op, instances, known ?? unknownSid(op, instances, random));
}
