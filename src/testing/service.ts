// The answer the service would give a request, before any fault: a method with no resource 400, an unknown
// path 404, missing or wrong credentials 401, an undocumented method 405, an Accept it cannot meet 406, a
// malformed SID 404 and a query value outside its rule 400, then the operation itself (state changes here).
import type { OperationId } from '../client/types.js';
import { errorAnswer, type FakeAnswer } from './answers.js';
import type { FakeRequest } from './faults.js';
import type { Incoming } from './fetch-emulation.js';
import { handlers, notFound } from './operations.js';
import { accepts, firstRoute, queryOf, queryParameters, type Routing } from './routing.js';
import type { FakeResources } from './state.js';

/** The operation whose documented responses an error is judged by: the one asked for, else one on the path. */
export const fallbackOf = ({ found, onPath }: Routing): OperationId =>
  found?.id ?? onPath[0]?.id ?? firstRoute.id;

/** The answer the service would give a routed, authenticated request: its checks, then the operation. */
function answerRouted(state: FakeResources, request: Incoming, { found, path }: Routing): FakeAnswer {
  const { id, op } = found as NonNullable<Routing['found']>;
  const types = op.successType === null ? [] : [op.successType];
  const accept = request.headers.get('accept');
  if (!accepts(accept, types))
    return errorAnswer(id, 406, `Cannot answer with ${accept}: only ${types.join(', ')}`);
  const { pathname } = request.url;
  const names = path ?? {};
  // A malformed SID is not found, as the provider answers; a bad query parameter is a bad request.
  for (const p of op.parameters)
    if (p.in === 'path' && !p.validate(names[p.name])) return notFound(id, pathname);
  const { values: params, exact } = queryOf(id, request.url);
  for (const p of op.parameters)
    if (p.in === 'query' && params[p.key] !== undefined && !p.validate(params[p.key])) {
      // An integer is read from text, where "1.0" or "1e2" is no integer: the message says the form.
      const integer = queryParameters[id].some((q) => q.key === p.key && q.integer);
      return errorAnswer(
        id,
        400,
        `Invalid ${p.name}: expected ${p.expected}${integer ? ' in decimal digits' : ''}`,
      );
    }
  for (const p of op.parameters) if (p.in === 'path') params[p.key] = names[p.name];
  return handlers[id](state, params, { path: pathname, names, exact });
}

/** The answer the service would give, before faults; state changes happen here. */
export function answer(
  state: FakeResources,
  request: Incoming,
  entry: FakeRequest,
  routing: Routing,
): FakeAnswer {
  const { onPath, found } = routing;
  const fallback = fallbackOf(routing);
  // CONNECT's target is a host, not a path; a request node:http could not parse has no method at all.
  if (request.method === 'CONNECT' || !request.method)
    return errorAnswer(fallback, 400, `${request.method || 'The request'} names no resource of this API`);
  if (!onPath.length) return notFound(fallback, request.url.pathname);
  if (entry.credentials !== 'valid')
    return errorAnswer(fallback, 401, undefined, { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
  if (!found) {
    const allow = onPath.map((candidate) => candidate.op.method).join(', ');
    return errorAnswer(fallback, 405, `Method ${request.method} is not allowed`, { Allow: allow });
  }
  return answerRouted(state, request, routing);
}
