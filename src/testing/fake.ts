// createBindingsFake: the Binding resource as the contract describes it, in memory and stateful: Basic
// auth, list/fetch/delete consistent with each other, the provider's 401/404/405/406 answers, injected
// faults, and a check of every answer against the contract before it leaves (a fake that would answer
// outside the contract throws instead).
import {
  headerExamples,
  operationFacts,
  parameterRules,
  responseExamples,
  schemaExamples,
  statusOfResponse,
} from '../../generated/contract.js';
import { basicAuthorization } from '../client/basic-auth.js';
import { MAX_TIMER_MS, sleep, whenAborted } from '../client/bounds.js';
import { mediaType } from '../client/response.js';
import type { Binding, ListBindingsParams, OperationId } from '../client/types.js';
import { conformance, documentedResponse } from './conformance.js';
import { type FakeRequest, type Fault, type FaultOptions, FaultQueue } from './faults.js';
import { checkFixtures, exampleBindings, pathOf } from './fixtures.js';
import { listPage, tokenStart } from './listing.js';
import { BindingStore } from './store.js';

export interface BindingsFakeOptions {
  /** The bindings it starts with, checked against the contract. Default: the contract's examples. */
  bindings?: Binding[];
  /** The Basic credentials it accepts. Default: the contract's example Account SID and `fake-auth-token`. */
  credentials?: { username: string; password: string };
}

export interface BindingsFake {
  /** A standard fetch: give it to the client, openapi-fetch or any fetch-style code. */
  fetch: typeof globalThis.fetch;
  /** The fake's answer to one request (what MSW handlers and the HTTP server call). */
  handle(request: Request): Promise<Response>;
  /** The bindings it holds now (a copy); set it to replace them (checked like the fixtures). */
  bindings: Binding[];
  /**
   * The requests it received, in order, with the status it answered: never a credential. It keeps the
   * most recent {@link MAX_LOGGED_REQUESTS}, so a long-running mock does not grow without bound.
   */
  readonly requests: FakeRequest[];
  /** The credentials it accepts. */
  readonly credentials: { username: string; password: string };
  /** Answers the next matching request(s) with a fault instead. */
  inject(fault: Fault, options?: FaultOptions): void;
  /** Forgets every fault not yet used. */
  clearFaults(): void;
}

/** The fake would have answered outside the contract: a bug in the fake, never a consumer's. */
export class FakeContractError extends Error {
  override name = 'FakeContractError';
}

/** How many requests `fake.requests` keeps (the oldest go first). */
export const MAX_LOGGED_REQUESTS = 10_000;

/** What the fake reads of a request: a `Request` has it, and so does the fast path for a URL and init. */
interface Incoming {
  method: string;
  url: URL;
  headers: { get(name: string): string | null };
  signal: AbortSignal | null | undefined;
}

type Facts = (typeof operationFacts)[OperationId];
interface Route {
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
const [firstRoute] = routes as [Route];
const status = (name: keyof typeof statusOfResponse) => Number(statusOfResponse[name]);
const UNAUTHORIZED = status('Unauthorized');
const NOT_FOUND = status('NotFound');

/** The first example of a response, for the error bodies the fake answers with. */
const exampleOf = (operation: OperationId, answer: string): Record<string, unknown> => {
  const byType = (responseExamples[operation] as Record<string, Record<string, Record<string, object>>>)[
    answer
  ];
  return structuredClone(Object.values(Object.values(byType ?? {})[0] ?? {})[0] ?? {}) as Record<
    string,
    unknown
  >;
};

/** The status of each operation's success, its media types, and the headers it documents (with their examples). */
const successOf = Object.fromEntries(
  routes.map(({ id, op }) => {
    const code = Object.keys(op.success)[0] as string;
    const types = Object.values(op.success).flatMap((byType) => Object.keys(byType));
    const headers = (headerExamples[id] as Record<string, Record<string, string>>)[code] ?? {};
    return [id, { status: Number(code), types, headers }];
  }),
) as Record<OperationId, { status: number; types: string[]; headers: Record<string, string> }>;

interface Routing {
  /** The routes whose path template the path fits (whatever the method). */
  onPath: Route[];
  /** The one that also has the request's method, and its path parameters. */
  found?: Route;
  path?: Record<string, string>;
}

/** Which operation a request is for: one pass over the routes. */
function route(request: Incoming): Routing {
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
function accepts(header: string | null, types: string[]): boolean {
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

const INTEGER = /^-?\d{1,15}$/;
/** A request's query, typed by the operation's parameter rules: arrays exploded, integers as numbers. */
function queryOf(op: Facts, url: URL): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (!url.search) return query;
  for (const p of op.parameters) {
    if (p.in !== 'query' || !url.searchParams.has(p.name)) continue;
    const { type } = parameterRules[p.name as keyof typeof parameterRules];
    const values = url.searchParams.getAll(p.name);
    const value = values[0] as string;
    query[p.key] =
      type === 'array' ? values : type === 'integer' && INTEGER.test(value) ? Number(value) : value;
  }
  return query;
}

/** The methods fetch writes in upper case whatever case it is given (the Fetch standard's list). */
const NORMALIZED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const FORBIDDEN = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** A URL and init read as `new Request(input, init)` would, without building one (the fake's hot path). */
function incoming(input: string | URL, init: RequestInit | undefined): Incoming {
  const url = new URL(input);
  if (url.username || url.password)
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials`);
  let method = init?.method ?? 'GET';
  if (NORMALIZED.has(method.toUpperCase())) method = method.toUpperCase();
  if (FORBIDDEN.has(method.toUpperCase())) throw new TypeError(`'${method}' HTTP method is unsupported.`);
  if ((method === 'GET' || method === 'HEAD') && init?.body != null)
    throw new TypeError('Request with GET/HEAD method cannot have body.');
  return { method, url, headers: headersOf(init?.headers), signal: init?.signal };
}

/** A header value without the spaces and tabs HTTP strips at its ends (as Headers does). */
function httpTrim(value: string): string {
  let start = 0;
  let end = value.length;
  const blank = (c: number) => c === 9 || c === 32;
  while (start < end && blank(value.charCodeAt(start))) start++;
  while (end > start && blank(value.charCodeAt(end - 1))) end--;
  return value.slice(start, end);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: a value Headers would reject or alter (CR, LF, NUL, beyond Latin-1) takes the slow path
const UNSAFE_HEADER_VALUE = /[\r\n\0]|[^\x01-\xff]/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What `new Headers(init)` would answer for a name, without building one for the usual plain object
 * (repeated names joined by ", " as Headers does; an invalid header still throws, from new Headers).
 */
function headersOf(init: HeadersInit | undefined): Incoming['headers'] {
  if (
    !init ||
    init instanceof Headers ||
    Array.isArray(init) ||
    Object.getPrototypeOf(init) !== Object.prototype
  )
    return new Headers(init);
  const record = init as Record<string, string>;
  for (const [name, value] of Object.entries(record))
    if (typeof value !== 'string' || UNSAFE_HEADER_VALUE.test(value) || !HEADER_NAME.test(name))
      return new Headers(init);
  return {
    get(wanted) {
      const lower = wanted.toLowerCase();
      let found: string | null = null;
      for (const name in record)
        if (name.toLowerCase() === lower) {
          const value = httpTrim(record[name] as string);
          found = found === null ? value : `${found}, ${value}`;
        }
      return found;
    },
  };
}

export function createBindingsFake(options: BindingsFakeOptions = {}): BindingsFake {
  let store = new BindingStore(options.bindings ? checkFixtures(options.bindings) : exampleBindings());
  const credentials = options.credentials ?? {
    username: schemaExamples.AccountSid[0],
    password: 'fake-auth-token',
  };
  const authorization = basicAuthorization(credentials.username, credentials.password);
  const requests: FakeRequest[] = [];
  const faults = new FaultQueue();

  /** A JSON answer, in the media type the contract documents for that status. */
  const json = (
    operation: OperationId,
    code: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): Answer => {
    const [type = ''] = Object.keys(documentedResponse(operation, code)?.content ?? {});
    return { operation, status: code, body, headers: { 'content-type': type, ...headers } };
  };
  /** An error answer: the example of the status the contract documents, else the catch-all example with this status. */
  const error = (
    operation: OperationId,
    code: number,
    message: string,
    extra: Record<string, string> = {},
  ) => {
    const documented = String(code) in responseExamples[operation];
    const body = documented
      ? exampleOf(operation, String(code))
      : { ...exampleOf(operation, 'default'), status: code };
    if (code !== UNAUTHORIZED) body.message = message;
    return json(operation, code, body, extra);
  };
  const notFound = (operation: OperationId, path: string) =>
    error(operation, NOT_FOUND, `The requested resource ${path} was not found`);

  /** The answer the service would give, before faults; state changes happen here. */
  function answer(request: Incoming, entry: FakeRequest, routing: Routing): Answer {
    const { pathname } = request.url;
    const { onPath, found, path } = routing;
    const fallback = onPath[0]?.id ?? firstRoute.id;
    // CONNECT's target is a host, not a path; a request node:http could not parse has no method at all.
    if (request.method === 'CONNECT' || !request.method)
      return error(fallback, 400, `${request.method || 'The request'} names no resource of this API`);
    if (!onPath.length) return notFound(fallback, pathname);
    if (entry.credentials !== 'valid')
      return error(fallback, UNAUTHORIZED, 'Authenticate', {
        'WWW-Authenticate': 'Basic realm="Twilio API"',
      });
    if (!found || !path) {
      const allow = onPath.map((route) => route.op.method).join(', ');
      return error(fallback, 405, `Method ${request.method} is not allowed`, { Allow: allow });
    }
    const { id, op } = found;
    const { types } = successOf[id];
    const accept = request.headers.get('accept');
    if (!accepts(accept, types))
      return error(id, 406, `Cannot answer with ${accept}: only ${types.join(', ')}`);
    // A malformed SID is not found, as the provider answers; a bad query parameter is a bad request.
    for (const p of op.parameters) {
      if (p.in === 'path' && !p.validate(path[p.name])) return notFound(id, pathname);
    }
    const query = queryOf(op, request.url);
    for (const p of op.parameters) {
      if (p.in === 'query' && query[p.key] !== undefined && !p.validate(query[p.key]))
        return error(id, 400, `Invalid ${p.name}: expected ${p.expected}`);
    }
    for (const p of op.parameters) if (p.in === 'path') query[p.key] = path[p.name];
    return perform(id, query as Record<string, never>, pathname);
  }

  function perform(id: OperationId, params: Record<string, never>, path: string): Answer {
    const ok = successOf[id];
    if (id === 'ListServiceBinding') {
      const query = params as unknown as ListBindingsParams;
      const start = query.pageToken === undefined ? undefined : tokenStart(query.pageToken);
      if (query.pageToken !== undefined && start === undefined) return error(id, 400, 'Invalid PageToken');
      return json(id, ok.status, listPage(store, query, start), ok.headers);
    }
    const { chatServiceSid, sid } = params as unknown as { chatServiceSid: string; sid: string };
    if (id === 'FetchServiceBinding') {
      // The body is serialized before anyone sees it, so the stored binding itself can be answered.
      const binding = store.find(chatServiceSid, sid);
      return binding ? json(id, ok.status, binding, ok.headers) : notFound(id, path);
    }
    if (!store.remove(chatServiceSid, sid)) return notFound(id, path);
    return { operation: id, status: ok.status, body: undefined, headers: {} };
  }

  function faultAnswer(fault: Extract<Fault, { status: number }>, entry: FakeRequest): Answer {
    const id = (entry.operation ?? firstRoute.id) as OperationId;
    const retryAfter = operationFacts[id].retryAfter;
    const headers: Record<string, string> = {};
    if (retryAfter?.statuses.some((s) => s === fault.status)) {
      const example = (headerExamples[id] as Record<string, Record<string, string>>)[String(fault.status)]?.[
        retryAfter.header
      ];
      headers[retryAfter.header] = String(fault.retryAfter ?? example);
    }
    const documented = String(fault.status) in responseExamples[id];
    const body = documented
      ? exampleOf(id, String(fault.status))
      : { ...exampleOf(id, 'default'), status: fault.status };
    return json(id, fault.status, body, headers);
  }

  async function serve(request: Incoming): Promise<Response> {
    const { url } = request;
    const given = request.headers.get('authorization');
    const entry: FakeRequest = {
      method: request.method,
      url: url.pathname + url.search,
      credentials: given === null ? 'none' : given === authorization ? 'valid' : 'wrong',
    };
    if (requests.push(entry) > MAX_LOGGED_REQUESTS) requests.shift();
    const routing = route(request);
    if (routing.found) entry.operation = routing.found.id;
    const fault = faults.take(entry);
    if (fault && 'drop' in fault) throw new TypeError('fetch failed: the fake dropped the connection');
    if (fault && 'delayMs' in fault) await delay(fault.delayMs, request.signal);
    const result = fault && 'status' in fault ? faultAnswer(fault, entry) : answer(request, entry, routing);
    entry.status = result.status;
    if (fault && 'breakContract' in fault)
      return toResponse({ ...result, body: fault.breakContract(structuredClone(result.body)) });
    const problems = conformance(
      {
        operation: result.operation,
        status: result.status,
        contentType: mediaType(result.headers['content-type'] ?? null),
        headers: headerSet(result.headers),
        body: result.body,
      },
      { headers: true },
    );
    if (problems.length)
      throw new FakeContractError(
        `The fake would answer ${request.method} ${entry.url} outside the contract: ${problems.join('; ')}`,
      );
    return toResponse(result);
  }

  const handle = (request: Request): Promise<Response> => {
    try {
      return serve({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        signal: request.signal,
      });
    } catch (failure) {
      return Promise.reject(failure);
    }
  };

  const fake: BindingsFake = {
    fetch: (input, init) => {
      try {
        if (typeof input === 'string' || input instanceof URL) return serve(incoming(input, init));
        return handle(init ? new Request(input, init) : input);
      } catch (failure) {
        return Promise.reject(failure);
      }
    },
    handle,
    get bindings() {
      return structuredClone(store.list());
    },
    set bindings(value: Binding[]) {
      store = new BindingStore(checkFixtures(value));
    },
    requests,
    credentials,
    inject: (fault, faultOptions) => faults.add(fault, faultOptions),
    clearFaults: () => faults.clear(),
  };
  socketEntries.set(fake, serve);
  return fake;
}

/** A request as it came off a socket: any method (TRACE, CONNECT…), where fetch's own rules do not apply. */
export type SocketRequest = Incoming;
const socketEntries = new WeakMap<BindingsFake, (request: Incoming) => Promise<Response>>();

/**
 * The fake's answer to a request an HTTP server read (mock --stateful): no `Request` is made of it, so a
 * method fetch refuses to send (TRACE, CONNECT) is answered as the service would, not dropped.
 */
export function answerSocketRequest(fake: BindingsFake, request: SocketRequest): Promise<Response> {
  const serve = socketEntries.get(fake);
  if (!serve)
    return Promise.reject(new TypeError('answerSocketRequest: not a fake made by createBindingsFake'));
  try {
    return serve(request);
  } catch (failure) {
    return Promise.reject(failure);
  }
}

interface Answer {
  operation: OperationId;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** An answer's header names, as the contract judgement asks for them (case-insensitively). */
function headerSet(headers: Record<string, string>): { has(name: string): boolean } {
  return {
    has(wanted) {
      const lower = wanted.toLowerCase();
      for (const name in headers) if (name.toLowerCase() === lower) return true;
      return false;
    },
  };
}

function toResponse({ status, body, headers }: Answer): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
}

/** Resolves after `ms` (never, past what a timer holds), or rejects with the signal's reason when it aborts. */
function delay(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  if (ms <= MAX_TIMER_MS) return sleep(ms, signal ?? undefined);
  return new Promise((_, reject) => {
    if (signal) whenAborted(signal, () => reject(signal.reason));
  });
}

export { pathOf };
