// What `validateResponse: 'report'` may return: a body that breaks its schema only in the fields of its
// resources. Judged on the whole body, apart from the validator's error list (which keeps a bounded few).
import type { ValidationError, Validator } from '../../../generated/validators.js';

/** A JSON pointer's token for a name (`a/b` is `a~1b`). */
const token = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');
const isObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);

/** What keeps a body from being tolerated: the schema's errors on what is left of it, and how many more. */
export interface Untolerated {
  errors: ValidationError[];
  omitted: number;
}

/**
 * Whether a body whose schema `check` failed breaks it only in its resources' fields (`resourceField`,
 * a pattern over violation paths, says where they lie): undefined if so, else what is wrong outside them.
 * Each resource must be an object; with every such resource taken out of the arrays that hold them, what
 * is left (the page, its `meta`, any item that is not an object) must pass the schema. However many field
 * errors the resources hold, the verdict is the validator's on the rest, which it reads whole.
 */
export function untolerated(body: unknown, check: Validator, resourceField: string): Untolerated | undefined {
  const field = new RegExp(resourceField);
  // The body is the resource: any object will do.
  if (field.test('/x')) return isObject(body) ? undefined : whatFails(check, body);
  if (!isObject(body)) return whatFails(check, body);
  const rest: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  /** Each array of resources, with the index in the body of each item left in it. */
  const kept = new Map<string, number[]>();
  for (const [name, value] of Object.entries(rest)) {
    if (!Array.isArray(value) || !field.test(`/${token(name)}/0/x`)) continue;
    const indices: number[] = [];
    for (let i = 0; i < value.length; i++) if (!isObject(value[i])) indices.push(i);
    rest[name] = indices.map((i) => value[i]);
    kept.set(`/${token(name)}/`, indices);
  }
  const left = whatFails(check, rest);
  // Each item left is named by its index in the body, not in what was left.
  for (const error of left?.errors ?? [])
    for (const [prefix, indices] of kept) {
      if (!error.instancePath.startsWith(prefix)) continue;
      const [index = '', ...tail] = error.instancePath.slice(prefix.length).split('/');
      error.instancePath = [`${prefix}${indices[Number(index)]}`, ...tail].join('/');
    }
  return left;
}

function whatFails(check: Validator, value: unknown): Untolerated | undefined {
  return check(value) ? undefined : { errors: check.errors ?? [], omitted: check.omitted ?? 0 };
}
