// What a fake holds: a store per resource of the contract, and the parents that exist (by their path,
// `/v1/Services/IS…`, so every resource under one parent sees it). Made from a checked seed, back to it on reset.
import { checkInstances, namesOf, type Tolerance } from './instances.js';
import {
  type Instance,
  type InstanceFixture,
  parentPaths,
  type ResourceModel,
  type ResourceName,
  resourceNames,
  resources,
} from './resources.js';
import { InstanceStore, type Keyed } from './store.js';

type Stored = Record<string, unknown>;

/** What a fake starts with (and returns to on reset): checked instances, and the parents named. */
export interface Seed {
  instances: ReadonlyMap<ResourceName, readonly Keyed<Stored>[]>;
  /** The paths of the parents that exist besides those of the instances (`/v1/Services/IS…`). */
  parents: readonly string[];
}

/** One resource of a fake, as its tests see it. */
export interface ResourceHandle<R extends ResourceName> {
  /** The instances it holds now (a copy); assign to replace them (checked like the seed). */
  get instances(): Instance<R>[];
  set instances(value: readonly InstanceFixture<R>[]);
  /** Deletes an instance (under any parent) as another client would; whether it was held. */
  remove(sid: string): boolean;
}

export class FakeResources {
  private readonly stores = new Map<ResourceName, InstanceStore<Stored>>();
  private readonly parents = new Set<string>();
  private readonly handles = new Map<ResourceName, ResourceHandle<never>>();

  constructor(
    private readonly seed: Seed,
    private readonly tolerance: Tolerance,
  ) {
    this.reset();
  }

  /** Back to the seed: its instances (copies) and parents. */
  reset(): void {
    this.stores.clear();
    this.parents.clear();
    for (const path of this.seed.parents) this.parents.add(path);
    for (const name of resourceNames)
      this.replace(name, structuredClone(this.seed.instances.get(name) ?? []));
  }

  /** The store of a resource. */
  store(name: ResourceName): InstanceStore<Stored> {
    return this.stores.get(name) as InstanceStore<Stored>;
  }

  /** Whether a parent exists: named, or over an instance held now or before (a delete never removes one). */
  hasParent(path: string): boolean {
    return path === '' || this.parents.has(path);
  }

  /** Replaces a resource's instances (already checked); their parents exist from now on. */
  replace(name: ResourceName, keyed: readonly Keyed<Stored>[]): void {
    const model = resources[name];
    if (model.parentLevels.length)
      for (const { instance } of keyed)
        for (const path of parentPaths(model, namesOf(model, instance))) this.parents.add(path);
    this.stores.set(name, new InstanceStore(keyed));
  }

  /** A resource of the contract, by its component schema; a TypeError naming the resources for any other. */
  handle<R extends ResourceName>(name: R): ResourceHandle<R> {
    const model = modelNamed(name, 'resource');
    const made = this.handles.get(model.name) ?? this.handleOf(model);
    this.handles.set(model.name, made);
    return made as ResourceHandle<R>;
  }

  private handleOf(model: ResourceModel): ResourceHandle<never> {
    const state = this;
    return {
      get instances(): never[] {
        return structuredClone(state.store(model.name).list()) as never[];
      },
      set instances(value: readonly never[]) {
        state.replace(model.name, checkInstances(model, value, model.plural, state.tolerance));
      },
      remove: (sid: string) => state.store(model.name).remove(undefined, sid),
    };
  }
}

/** The model of a resource named by a caller, or a TypeError naming what `what` takes. */
export function modelNamed(name: unknown, what: string): ResourceModel {
  if (typeof name === 'string' && Object.hasOwn(resources, name)) return resources[name as ResourceName];
  throw new TypeError(
    `${what}: expected one of the contract's resources (${resourceNames.join(', ')}), got ${JSON.stringify(String(name)).slice(0, 80)}`,
  );
}
