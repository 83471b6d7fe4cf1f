// The documentation tools' arguments, checked against the tool's own input schema (the few keywords those
// schemas use): a bad one is named with its rule and what was given, as the client names a bad parameter.
import { quoted } from '../client/quote.js';
import { isObject, type JsonObject } from './schemas.js';

/** A property's rule in words: `one of A, B`, `a string of 1 to 200 characters`, `an integer from 1 to 20`. */
export function ruleOf(schema: JsonObject): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(', ')}`;
  if (schema.type === 'string')
    return `a string of ${schema.minLength ?? 0} to ${schema.maxLength ?? 'any number of'} characters`;
  if (schema.type === 'integer') return `an integer from ${schema.minimum} to ${schema.maximum}`;
  return 'any JSON value';
}

function fits(schema: JsonObject, value: unknown): boolean {
  if (Array.isArray(schema.enum)) return schema.enum.includes(value);
  if (schema.type === 'string') {
    if (typeof value !== 'string') return false;
    const length = [...value.slice(0, Number(schema.maxLength ?? value.length) * 2 + 2)].length;
    return length >= Number(schema.minLength ?? 0) && length <= Number(schema.maxLength ?? Infinity);
  }
  if (schema.type === 'integer')
    return (
      Number.isInteger(value) &&
      (value as number) >= Number(schema.minimum) &&
      (value as number) <= Number(schema.maximum)
    );
  return true;
}

/** An argument a tool does not take, said as the client says a bad parameter (undefined when none). */
export function strayArgument(inputSchema: JsonObject, args: Record<string, unknown>): string | undefined {
  const names = Object.keys(isObject(inputSchema.properties) ? inputSchema.properties : {});
  const stray = Object.keys(args).find((key) => !names.includes(key));
  if (stray === undefined) return undefined;
  return `Invalid argument ${quoted(stray)}: expected only ${names.join(', ') || 'none'}, got an argument of that name.`;
}

/**
 * What is wrong with a tool's arguments, in a sentence (undefined when nothing): an argument it does not
 * take, a required one missing, or one that breaks its rule.
 */
export function argumentProblem(inputSchema: JsonObject, args: Record<string, unknown>): string | undefined {
  const stray = strayArgument(inputSchema, args);
  if (stray) return stray;
  const properties = isObject(inputSchema.properties) ? inputSchema.properties : {};
  const names = Object.keys(properties);
  const required = Array.isArray(inputSchema.required) ? (inputSchema.required as string[]) : [];
  for (const name of names) {
    const schema = properties[name] as JsonObject;
    if (!Object.hasOwn(args, name)) {
      if (required.includes(name))
        return `Invalid ${name}: expected ${ruleOf(schema)}, got nothing (it is required).`;
      continue;
    }
    if (!fits(schema, args[name]))
      return `Invalid ${name}: expected ${ruleOf(schema)}, got ${quoted(args[name])}.`;
  }
  return undefined;
}
