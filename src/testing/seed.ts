// What a fake starts with, from its options: the instances of each resource (those given, checked against
// its schema, else the contract's examples) and the parents that exist (those named, else, for a resource
// holding nothing and no parent named, its example's), so every operation answers out of the box.
import { checkInstances, checkParents, FixtureError, namesOf, type Tolerance } from './instances.js';
import {
  exampleInstances,
  type InstanceFixture,
  type ParentOf,
  parentPaths,
  type ResourceName,
  resources,
} from './resources.js';
import { modelNamed, type Seed } from './state.js';

/** The instances of any resource of the contract a fake starts with, by the resource's component schema. */
export type ResourceFixtures = { readonly [R in ResourceName]?: readonly InstanceFixture<R>[] | undefined };
/** The parents that exist besides those of the instances held, by the resource under them. */
export type ParentFixtures = {
  readonly [R in ResourceName as [ParentOfKeys<R>] extends [never] ? never : R]?:
    | readonly ParentOf<R>[]
    | undefined;
};
type ParentOfKeys<R extends ResourceName> = keyof ParentOf<R>;

export interface SeedOptions extends Tolerance {
  resources?: ResourceFixtures | undefined;
  parents?: ParentFixtures | undefined;
  /** What an error calls a resource's fixtures (`bindings`), when not `resources.<Name>`. */
  labels?: Partial<Record<ResourceName, string>>;
}

/** An option keyed by resource, each key checked: a TypeError naming the resources for any other. */
function byResource(option: unknown, what: string): [ResourceName, unknown][] {
  if (option === undefined) return [];
  if (typeof option !== 'object' || option === null || Array.isArray(option))
    throw new FixtureError(
      `${what} must be an object keyed by the contract's resources, got ${typeof option}`,
    );
  return Object.entries(option)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [modelNamed(name, what).name, value]);
}

/** The fake's seed: every resource's instances, checked, and the paths of the parents that exist. */
export function seedOf(options: SeedOptions): Seed {
  const tolerance = { allowOffContract: options.allowOffContract === true };
  const given = new Map(byResource(options.resources, 'resources'));
  const named = new Map(byResource(options.parents, 'parents'));
  const instances = new Map(
    (Object.keys(resources) as ResourceName[]).map((name) => {
      const model = resources[name];
      const fixtures = given.has(name) ? given.get(name) : exampleInstances(model);
      const label = options.labels?.[name] ?? `resources.${name}`;
      const what = given.has(name) ? label : `the contract's example ${model.plural}`;
      return [name, checkInstances(model, fixtures, what, tolerance)] as const;
    }),
  );
  const parents: string[] = [];
  for (const [name, listed] of named)
    for (const values of checkParents(resources[name], listed, `parents.${name}`))
      parents.push(...parentPaths(resources[name], values));
  // A resource holding nothing, with no parent named for it: its example's parents exist (so it lists).
  for (const [name, held] of instances)
    if (!held.length && !named.has(name))
      for (const example of exampleInstances(resources[name]))
        parents.push(...parentPaths(resources[name], namesOf(resources[name], example)));
  return { instances, parents };
}
