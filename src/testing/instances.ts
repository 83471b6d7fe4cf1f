// What the fake stores of any resource: fixtures checked against the resource's schema as they will be
// served (their JSON), each with the SID and parents it is found by; and the parents a fake is told exist.
import { quoted } from '../client/quote.js';
import { violationsFrom } from '../client/response.js';
import { type Naming, parentPath, type ResourceModel } from './resources.js';
import type { Keyed } from './store.js';

/** A fixture the fake refuses: its index, the field and the rule it breaks. */
export class FixtureError extends TypeError {
  override name = 'FixtureError';
}

/** Whether fields off the contract are held anyway (`allowOffContract`). */
export interface Tolerance {
  allowOffContract?: boolean | undefined;
}

/** The field of the first member of a value that has no JSON form, if one has none. */
function unserializable(value: unknown): string | undefined {
  const fields = value && typeof value === 'object' ? Object.keys(value) : [];
  return fields.find((name) => {
    try {
      JSON.stringify((value as Record<string, unknown>)[name]);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * A fixture as the fake will serve it: its JSON, read back (a `toJSON` or an undefined field changes
 * what is served, so that is what is checked). A FixtureError naming the field when it has no JSON form
 * (a cycle, a BigInt).
 */
export function served(value: unknown, at: string): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch (error) {
    const field = unserializable(value);
    const why = String((error as Error)?.message ?? error)
      .split('\n')[0]
      ?.slice(0, 100);
    throw new FixtureError(`${at}${field ? `/${field}` : ''}: cannot be served as JSON (${why})`);
  }
}

/** The path parameters naming an instance (its parents' and its SID), by name, from its fields. */
export function namesOf(model: ResourceModel, instance: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of model.sid ? [...model.parents, model.sid] : model.parents)
    values[p.name] = instance[p.field ?? ''] as string;
  return values;
}

/** An instance's own problem, if any: its schema (within what is tolerated), then the fields it is found by. */
function problemOf(model: ResourceModel, instance: unknown, tolerance: Tolerance): string | undefined {
  if (!model.validate(instance)) {
    // Off the contract on purpose, a field may hold any value; the instance must still be an object.
    const violations = violationsFrom(model.validate.errors ?? [], instance);
    const first = violations.find((v) => !(tolerance.allowOffContract && model.fieldPath.test(v.path)));
    if (first) return `${first.path === '/' ? '' : first.path}: ${first.message}`;
  }
  for (const p of model.sid ? [model.sid, ...model.parents] : model.parents) {
    if (p.field === null)
      return `: the fake cannot tell which ${p.name} it has (the contract ties no field of ${model.name} to it)`;
    const value = (instance as Record<string, unknown>)[p.field];
    if (typeof value !== 'string') return `/${p.field}: a stored ${model.singular} needs one (got ${value})`;
  }
  return undefined;
}

/**
 * Checks fixtures of a resource as its schema does, plus what a stored instance needs (its SID and
 * parents' fields, the SID once), as they will be served; throws a FixtureError naming the first bad
 * one. Returns what will be served, each with what it is found by.
 */
export function checkInstances(
  model: ResourceModel,
  given: unknown,
  what: string,
  tolerance: Tolerance = {},
): Keyed<Record<string, unknown>>[] {
  if (!Array.isArray(given))
    throw new FixtureError(`${what} must be an array of ${model.plural}, got ${typeof given}`);
  const sids = new Set<string>();
  return given.map((fixture, index) => {
    const at = `${what}[${index}]`;
    const instance = served(fixture, at) as Record<string, unknown>;
    const problem = problemOf(model, instance, tolerance);
    if (problem !== undefined) throw new FixtureError(`${at}${problem}`);
    const values = namesOf(model, instance);
    const sid = model.sid ? (values[model.sid.name] as string) : String(index);
    if (sids.has(sid))
      throw new FixtureError(
        `${at}/${model.sid?.field}: ${sid} is already held by an earlier ${model.singular}`,
      );
    sids.add(sid);
    return { sid, parent: parentPath(model, values), instance };
  });
}

/** A value of a path parameter, checked by its rule: a FixtureError at `at` naming the rule otherwise. */
export function checkValue(p: Naming, value: unknown, at: string): string {
  if (!p.validate(value)) throw new FixtureError(`${at}: expected ${p.expected}, got ${quoted(value)}`);
  return value as string;
}

/**
 * Parents of a resource a fake is told exist, each an object of its parents' path parameters by key
 * (`{ chatServiceSid: 'IS…' }`), checked by their rules: each as its path parameters by name.
 */
export function checkParents(model: ResourceModel, given: unknown, what: string): Record<string, string>[] {
  if (!model.parents.length) throw new FixtureError(`${what}: ${model.name} has no parents in the contract`);
  const keys = model.parents.map((p) => p.key).join(', ');
  if (!Array.isArray(given))
    throw new FixtureError(`${what} must be an array of objects { ${keys} }, got ${quoted(given)}`);
  return given.map((parent: unknown, index) => {
    const at = `${what}[${index}]`;
    if (typeof parent !== 'object' || parent === null)
      throw new FixtureError(`${at} must be an object { ${keys} }, got ${quoted(parent)}`);
    const values: Record<string, string> = {};
    for (const p of model.parents)
      values[p.name] = checkValue(p, (parent as Record<string, unknown>)[p.key], `${at}.${p.key}`);
    return values;
  });
}
