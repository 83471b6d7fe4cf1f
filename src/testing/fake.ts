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
import { mediaType } from '../client/response.js';
import type { Binding, ListBindingsParams, OperationId } from '../client/types.js';
import { conformance, documentedResponse } from './conformance.js';
import { type FakeRequest, type Fault, type FaultOptions, FaultQueue } from './faults.js';
import { checkFixtures, exampleBindings, pathOf } from './fixtures.js';
import { listPage, tokenOffset } from './listing.js';

export interface BindingsFakeOptions {
  /** The bindings it starts with, checked against the contract. Default: the contract's examples. */
  bindings?: Binding[];
  /** The Basic credentials it accepts. Default: the contract's example Account SID and `fake-auth-token`. */
  credentials?: { username: string; password: string };
}

export interface BindingsFake {
  /** A standard fetch: give it to the client, openapi-fetch or any fetch-style code. */
  fetch: typeof globalThis.fetch;
  /** The fake's answer to one request (what `fetch`, MSW handlers and the HTTP server call). */
  handle(request: Request): Promise<Response>;
  /** The bindings it holds now (a copy); set it to replace them (checked like the fixtures). */
  bindings: Binding[];
  /** Every request it received, in order, with the status it answered: never a credential. */
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

type Facts = (typeof operationFacts)[OperationId];
const operations = Object.entries(operationFacts) as [OperationId, Facts][];
const status = (name: keyof typeof statusOfResponse) => Number(statusOfResponse[name]);
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

/** The path parameters of a request path that fits an operation's template, decoded. */
function match(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]*)';
  });
  const found = new RegExp(`^${pattern}$`).exec(path);
  try {
    return found
      ? Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]))
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an Accept header lets the fake answer with one of these media types. */
function accepts(header: string | null, types: string[]): boolean {
  if (!header || !types.length) return true;
  return header.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) return false;
    return (
      type === '*/*' ||
      types.some((t) => t === type || (type.endsWith('/*') && t.startsWith(type.slice(0, -1))))
    );
  });
}

/** A request's query, typed by the operation's parameter rules: arrays exploded, integers as numbers. */
function queryOf(op: Facts, url: URL): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const p of op.parameters) {
    if (p.in !== 'query' || !url.searchParams.has(p.name)) continue;
    const { type } = parameterRules[p.name as keyof typeof parameterRules];
    const values = url.searchParams.getAll(p.name);
    const value = values[0] as string;
    query[p.key] =
      type === 'array' ? values : type === 'integer' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  }
  return query;
}

export function createBindingsFake(options: BindingsFakeOptions = {}): BindingsFake {
  let state = options.bindings ? checkFixtures(options.bindings) : exampleBindings();
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
    if (code !== status('Unauthorized')) body.message = message;
    return json(operation, code, body, extra);
  };
  const notFound = (operation: OperationId, path: string) =>
    error(operation, status('NotFound'), `The requested resource ${path} was not found`);

  /** The answer the service would give, before faults; state changes happen here. */
  function answer(request: Request, url: URL, entry: FakeRequest): Answer {
    const onPath = operations.filter(([, op]) => match(op.path, url.pathname));
    const [fallback] = onPath[0] ?? operations[0] ?? [];
    if (!onPath.length) return notFound(fallback as OperationId, url.pathname);
    if (entry.credentials !== 'valid')
      return error(fallback as OperationId, status('Unauthorized'), 'Authenticate', {
        'WWW-Authenticate': 'Basic realm="Twilio API"',
      });
    const found = onPath.find(([, op]) => op.method === request.method);
    if (!found) {
      const allow = onPath.map(([, op]) => op.method).join(', ');
      return error(fallback as OperationId, 405, `Method ${request.method} is not allowed`, { Allow: allow });
    }
    const [id, op] = found;
    entry.operation = id;
    const successTypes = Object.values(op.success).flatMap((byType) => Object.keys(byType));
    if (!accepts(request.headers.get('accept'), successTypes))
      return error(
        id,
        406,
        `Cannot answer with ${request.headers.get('accept')}: only ${successTypes.join(', ')}`,
      );
    const path = match(op.path, url.pathname) as Record<string, string>;
    // A malformed SID is not found, as the provider answers; a bad query parameter is a bad request.
    for (const p of op.parameters) {
      if (p.in === 'path' && !p.validate(path[p.name])) return notFound(id, url.pathname);
    }
    const query = queryOf(op, url);
    for (const p of op.parameters) {
      if (p.in === 'query' && query[p.key] !== undefined && !p.validate(query[p.key]))
        return error(id, 400, `Invalid ${p.name}: expected ${p.expected}`);
    }
    const params = Object.fromEntries(
      op.parameters.filter((p) => p.in === 'path').map((p) => [p.key, path[p.name]]),
    );
    return perform(id, { ...params, ...query } as Record<string, never>, url.pathname);
  }

  function perform(id: OperationId, params: Record<string, never>, path: string): Answer {
    const cors = (headerExamples[id] as Record<string, Record<string, string>>)[
      Object.keys(operationFacts[id].success)[0] as string
    ];
    const okStatus = Object.keys(operationFacts[id].success)[0] as string;
    if (id === 'ListServiceBinding') {
      const query = params as unknown as ListBindingsParams;
      const offset = query.pageToken === undefined ? undefined : tokenOffset(query.pageToken);
      if (query.pageToken !== undefined && offset === undefined) return error(id, 400, 'Invalid PageToken');
      return json(id, Number(okStatus), listPage(state, query, offset), cors);
    }
    const { chatServiceSid, sid } = params as unknown as { chatServiceSid: string; sid: string };
    const index = state.findIndex((b) => b.sid === sid && b.chat_service_sid === chatServiceSid);
    if (index < 0) return notFound(id, path);
    if (id === 'FetchServiceBinding') return json(id, Number(okStatus), structuredClone(state[index]), cors);
    state = state.filter((_, i) => i !== index);
    return { operation: id, status: Number(okStatus), body: undefined, headers: {} };
  }

  function faultAnswer(fault: Extract<Fault, { status: number }>, entry: FakeRequest): Answer {
    const id = (entry.operation ?? operations[0]?.[0]) as OperationId;
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

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const given = request.headers.get('authorization');
    const entry: FakeRequest = {
      method: request.method,
      url: url.pathname + url.search,
      credentials: given === null ? 'none' : given === authorization ? 'valid' : 'wrong',
    };
    requests.push(entry);
    const route = operations.find(([, op]) => op.method === request.method && match(op.path, url.pathname));
    if (route) entry.operation = route[0];
    const fault = faults.take(entry);
    if (fault && 'drop' in fault) throw new TypeError('fetch failed: the fake dropped the connection');
    if (fault && 'delayMs' in fault) await delay(fault.delayMs, request.signal);
    const result = fault && 'status' in fault ? faultAnswer(fault, entry) : answer(request, url, entry);
    entry.status = result.status;
    if (fault && 'breakContract' in fault)
      return toResponse({ ...result, body: fault.breakContract(result.body) });
    const problems = conformance(
      {
        operation: result.operation,
        status: result.status,
        contentType: mediaType(result.headers['content-type'] ?? null),
        headers: new Headers(result.headers),
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

  return {
    fetch: (input, init) => {
      try {
        return handle(new Request(input, init));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    handle,
    get bindings() {
      return structuredClone(state);
    },
    set bindings(value: Binding[]) {
      state = checkFixtures(value);
    },
    requests,
    credentials,
    inject: (fault, faultOptions) => faults.add(fault, faultOptions),
    clearFaults: () => faults.clear(),
  };
}

interface Answer {
  operation: OperationId;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

function toResponse({ status, body, headers }: Answer): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
}

function delay(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export { pathOf };
