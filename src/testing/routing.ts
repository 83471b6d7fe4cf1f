// Which operation a request to the fake is for: each operation's path template as a pattern, the path
// parameters decoded, the Accept header judged, and the query read by the contract's parameter rules.
import { operationFacts } from '../../generated/contract.js';
import { parameterSchemas, schemaRules } from '../../generated/schema-rules.js';
import type { OperationId } from '../client/types.js';
import type { Incoming } from './fetch-emulation.js';

export type Facts = (typeof operationFacts)[OperationId];
export interface Route {
  id: OperationId;
  op: Facts;
  pattern: RegExp;
  names: string[];
}
/** Each operation's path template as a regular expression, made once. */
const routes: Route[] = (Object.entries(operationFacts) as [OperationId, Facts][]).map(([id, op]) => {
  const names: string[] = [];
  const source = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]*)';
  });
  return { id, op, pattern: new RegExp(`^${source}$`), names };
});
export const [firstRoute] = routes as [Route];
export interface Routing {
  /** The routes whose path template the path fits (whatever the method). */
  onPath: Route[];
  /** The one that also has the request's method, and its path parameters. */
  found?: Route;
  path?: Record<string, string>;
}

/** Which operation a request is for: one pass over the routes. */
export function route(request: Incoming): Routing {
  const routing: Routing = { onPath: [] };
  for (const candidate of routes) {
    const params = match(candidate, request.url.pathname);
    if (!params) continue;
    routing.onPath.push(candidate);
    if (!routing.found && candidate.op.method === request.method)
      Object.assign(routing, { found: candidate, path: params });
  }
  return routing;
}

/** The path parameters of a path that fits a route, decoded; undefined when it does not fit. */
function match(route: Route, path: string): Record<string, string> | undefined {
  const found = route.pattern.exec(path);
  if (!found) return undefined;
  const params: Record<string, string> = {};
  try {
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(found[i + 1] ?? '');
    });
  } catch {
    return undefined;
  }
  return params;
}

const REFUSED = /^q=0(\.0*)?$/;
/** Whether an Accept header lets the fake answer with one of these media types. */
export function accepts(header: string | null, types: string[]): boolean {
  if (!header || !types.length) return true;
  return header.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (params.some((p) => REFUSED.test(p))) return false;
    return (
      type === '*/*' ||
      types.some((t) => t === type || (type.endsWith('/*') && t.startsWith(type.slice(0, -1))))
    );
  });
}

/** An integer written in decimal digits, of any length (the contract bounds some, `Page` it does not). */
const DECIMAL = /^-?\d+$/;
/**
 * What an integer past the safe ones is judged as: 2^53 (or its negative). Every bound the contract sets is
 * a safe integer, so such a value falls on the same side of each as the value itself.
 */
const BEYOND_SAFE = 2 ** 53;

/** A request's query as the operation's rules read it, and the exact digits of each integer past the safe ones. */
export interface Query {
  values: Record<string, unknown>;
  exact: Record<string, string>;
}

type Rule = { type?: string | string[]; ref?: string };
/** Whether a parameter's rule (following a component reference) is of this JSON type. */
function isOfType(rule: Rule | undefined, type: string): boolean {
  const own = rule?.ref ? (schemaRules[rule.ref as keyof typeof schemaRules] as Rule) : rule;
  return Array.isArray(own?.type) ? own.type.includes(type) : own?.type === type;
}

/** An operation's query parameter as the fake reads it: exploded (an array), an integer, or text. */
export interface QueryParameter {
  name: string;
  key: string;
  array: boolean;
  integer: boolean;
}

/** Each operation's query parameters, by their rules (`generated/schema-rules.js`, keyed by operation). */
export const queryParameters = Object.fromEntries(
  Object.entries(parameterSchemas).map(([id, parameters]) => [
    id,
    parameters
      .filter((p) => p.in === 'query')
      .map((p) => ({
        name: p.name,
        key: p.key,
        array: isOfType(p.schema, 'array'),
        integer: isOfType(p.schema, 'integer'),
      })),
  ]),
) as Record<OperationId, QueryParameter[]>;

/** A request's query, typed by the operation's parameter rules: arrays exploded, integers as numbers. */
export function queryOf(id: OperationId, url: URL): Query {
  const query: Query = { values: {}, exact: {} };
  if (!url.search) return query;
  for (const p of queryParameters[id]) {
    if (!url.searchParams.has(p.name)) continue;
    const values = url.searchParams.getAll(p.name);
    const value = values[0] as string;
    if (p.array) query.values[p.key] = values;
    else if (!p.integer || !DECIMAL.test(value)) query.values[p.key] = value;
    else if (Number.isSafeInteger(Number(value))) query.values[p.key] = Number(value);
    else {
      const negative = value.startsWith('-');
      query.values[p.key] = negative ? -BEYOND_SAFE : BEYOND_SAFE;
      query.exact[p.key] = value.replace(/^(-?)0+(?=\d)/, '$1');
    }
  }
  return query;
}
