// createBindingsFake: the Binding resource as the contract describes it, in memory and stateful: Basic
// auth, list/fetch/delete consistent with each other, the provider's 401/404/405/406 answers, injected
// faults, and a check of every answer against the contract before it leaves (an answer outside the
// contract, or a function given to it that throws, is its own 500 instead). Its parts:
// ./fetch-emulation.ts (reading a request as fetch would), ./routing.ts (which operation),
// ./operations.ts (what each does), ./answers.ts (the bodies).
import { parameterRules, schemaExamples } from '../../generated/contract.js';
import { basicAuthorization } from '../client/basic-auth.js';
import { MAX_TIMER_MS, sleep, whenAborted } from '../client/bounds.js';
import { quoted } from '../client/quote.js';
import { readSafely } from '../client/redact.js';
import { mediaType } from '../client/response.js';
import type { Binding, OperationId } from '../client/types.js';
import {
  errorAnswer,
  errorBody,
  type FakeAnswer,
  faultHeaders,
  headerSet,
  jsonAnswer,
  toResponse,
} from './answers.js';
import { conformance } from './conformance.js';
import { type CoverageData, CoverageRecorder, everyFake } from './coverage.js';
import {
  FakeFailure,
  type FakeRequest,
  type FakeState,
  type Fault,
  type FaultOptions,
  FaultQueue,
} from './faults.js';
import { type Incoming, incoming } from './fetch-emulation.js';
import {
  type BindingFixture,
  checkFixtures,
  checkServices,
  exampleBindings,
  exampleSids,
} from './fixtures.js';
import { handlers, notFound } from './operations.js';
import { accepts, firstRoute, queryOf, type Routing, route } from './routing.js';
import { BindingStore } from './store.js';

export interface BindingsFakeOptions {
  /** The bindings it starts with, checked against the contract. Default: the contract's examples. */
  bindings?: readonly BindingFixture[] | undefined;
  /**
   * The Conversation Services that exist besides those of its bindings: a list of one of them holding no
   * binding is an empty page; a list of a service that does not exist, the contract's 404. Default: none,
   * or the contract's example service when it holds no binding at all.
   */
  services?: readonly string[] | undefined;
  /** The Basic credentials it accepts. Default: the contract's example Account SID and DEFAULT_FAKE_PASSWORD. */
  credentials?: { username: string; password: string } | undefined;
  /**
   * Hold bindings whose fields are off the contract (a `binding_type` the provider added, say) and serve
   * them as the provider would. Default false: such a fixture is a FixtureError (a typo must fail). The
   * fake's answers are still checked against the contract in every other respect, and an answer that
   * holds such a binding counts as no coverage.
   */
  allowOffContract?: boolean | undefined;
  /** Record which of the contract's documented outcomes it answers (`coverage()`). Default true. */
  recordCoverage?: boolean | undefined;
}

export interface BindingsFake extends FakeState {
  /** A standard fetch: give it to the client, openapi-fetch or any fetch-style code. */
  fetch: typeof globalThis.fetch;
  /** The fake's answer to one request (what MSW handlers and the HTTP server call). */
  handle(request: Request): Promise<Response>;
  /**
   * The requests it received, in order, with the status it answered: never a credential. It keeps the
   * most recent {@link MAX_LOGGED_REQUESTS}, so a long-running mock does not grow without bound.
   */
  readonly requests: FakeRequest[];
  /** The credentials it accepts. */
  readonly credentials: { username: string; password: string };
  /** Answers the next matching request(s) with a fault instead (or runs a `before` hook first). */
  inject(fault: Fault, options?: FaultOptions): void;
  /** Forgets every fault not yet used. */
  clearFaults(): void;
  /** Forgets the requests it logged. */
  clearRequests(): void;
  /** Back to how it was made: its first bindings and services, no fault, no request logged (its coverage is kept). */
  reset(): void;
  /**
   * The contract's documented outcomes its answers exercised so far (statuses, media types, headers,
   * parameters and their values, body properties, paging), as a coverage file for `bindings-contract coverage`.
   */
  coverage(): CoverageData;
}

/** Why the fake answered a 500 of its own: its answer would have broken the contract (a bug in the fake). */
export class FakeContractError extends Error {
  override name = 'FakeContractError';
}

/** How many requests `fake.requests` keeps (the oldest go first). */
export const MAX_LOGGED_REQUESTS = 10_000;

/**
 * The password the fake accepts unless told otherwise (with the contract's example Account SID): shaped as
 * an auth token, with a digit in every 4 characters, so the redaction of its runs never masks a word of a
 * message (1.1.0 used `fake-auth-token`, which masked "fake", "auth" and "token" wherever they were said).
 */
export const DEFAULT_FAKE_PASSWORD = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** The status the fake answers when it, or a function given to it, failed: an internal server error. */
export const FAKE_FAILURE_STATUS = 500;
/** What the message of that answer starts with. */
export const FAKE_FAILURE = 'The fake failed, not the service';

/** The answer the service would give a routed, authenticated request: its checks, then the operation. */
function answerRouted(store: BindingStore, request: Incoming, { found, path }: Routing): FakeAnswer {
  const { id, op } = found as NonNullable<Routing['found']>;
  const types = op.successType === null ? [] : [op.successType];
  const accept = request.headers.get('accept');
  if (!accepts(accept, types))
    return errorAnswer(id, 406, `Cannot answer with ${accept}: only ${types.join(', ')}`);
  const { pathname } = request.url;
  // A malformed SID is not found, as the provider answers; a bad query parameter is a bad request.
  for (const p of op.parameters)
    if (p.in === 'path' && !p.validate(path?.[p.name])) return notFound(id, pathname);
  const { values: params, exact } = queryOf(op, request.url);
  for (const p of op.parameters)
    if (p.in === 'query' && params[p.key] !== undefined && !p.validate(params[p.key]))
      return errorAnswer(id, 400, `Invalid ${p.name}: expected ${p.expected}${inDigits(p.name)}`);
  for (const p of op.parameters) if (p.in === 'path') params[p.key] = path?.[p.name];
  return handlers[id](store, params as never, { path: pathname, exact });
}

/** For an integer parameter, the form it is read in: a query is text, and "1.0" or "1e2" is no integer there. */
const inDigits = (name: string) =>
  parameterRules[name as keyof typeof parameterRules]?.type === 'integer' ? ' in decimal digits' : '';

/** The answer the service would give, before faults; state changes happen here. */
function answer(store: BindingStore, request: Incoming, entry: FakeRequest, routing: Routing): FakeAnswer {
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
  return answerRouted(store, request, routing);
}

/** The operation whose documented responses an error is judged by: the one asked for, else one on the path. */
const fallbackOf = ({ found, onPath }: Routing): OperationId => found?.id ?? onPath[0]?.id ?? firstRoute.id;

/**
 * An injected status: the body the contract gives that status in the media type asked, saying it was
 * injected. A problem body's `type` and `title` name its example's problem: the status's own words instead.
 */
function faultAnswer(fault: Extract<Fault, { status: number }>, routing: Routing): FakeAnswer {
  const id = fallbackOf(routing);
  const said = String(errorBody(id, fault.status).message ?? `Status ${fault.status}`);
  const asked = fault.mediaType === undefined ? '' : `, mediaType: ${JSON.stringify(fault.mediaType)}`;
  const body = errorBody(id, fault.status, undefined, fault.mediaType);
  if (!('message' in body)) {
    delete body.type;
    body.title = said;
  }
  body['message' in body ? 'message' : 'detail'] =
    `${said} (injected by the fake: inject({ status: ${fault.status}${asked} }))`;
  return jsonAnswer(
    id,
    fault.status,
    body,
    faultHeaders(id, fault.status, fault.retryAfter),
    fault.mediaType,
  );
}

/**
 * Whether an answer keeps the contract (then it counts as coverage). One that holds a binding off the
 * contract (allowed) does not; one that breaks it otherwise is a FakeFailure naming `what` made it.
 */
function keepsContract(result: FakeAnswer, tolerant: boolean, what: string): boolean {
  const judged = {
    operation: result.operation,
    status: result.status,
    contentType: mediaType(result.headers['content-type'] ?? null),
    headers: headerSet(result.headers),
    body: result.body,
  };
  const problems = conformance(judged, { headers: true });
  if (!problems.length) return true;
  const breaking = tolerant ? conformance(judged, { headers: true, offContractFields: true }) : problems;
  if (breaking.length) throw new FakeFailure(what, new FakeContractError(breaking.join('; ')));
  return false;
}

/** A thrown value as a bounded, escaped quote: its name and message, read guardedly. */
function thrownText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return quoted(error);
  const parts = [readSafely(error, 'name'), readSafely(error, 'message')];
  const text = parts.filter((part) => typeof part === 'string' && part).join(': ');
  return text ? quoted(text) : 'an object';
}

/** The 500 the fake answers when it, or a function given to it, failed: saying which, and how. */
function failureAnswer(routing: Routing, failure: unknown): FakeAnswer {
  const how =
    failure instanceof FakeFailure
      ? failure.cause instanceof FakeContractError
        ? `${failure.what} breaks the contract: ${failure.cause.message}`
        : `${failure.what} threw ${thrownText(failure.cause)}`
      : `it threw ${thrownText(failure)} (a bug in the fake)`;
  return errorAnswer(fallbackOf(routing), FAKE_FAILURE_STATUS, `${FAKE_FAILURE}: ${how}`);
}

/** Runs a function given to the fake (or a step of its own): what it throws is a FakeFailure naming it. */
function guarded<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new FakeFailure(what, error);
  }
}

/** As `guarded`, for a function that may return a promise: its rejection is a FakeFailure too. */
async function awaited(what: string, run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    throw new FakeFailure(what, error);
  }
}

/** A body as it will be served: its JSON, read back (a `toJSON` changes what is served). */
const served = (body: unknown): unknown => {
  const text = JSON.stringify(body);
  return text === undefined ? undefined : JSON.parse(text);
};

/** The fault that drops a connection: the fetch rejects with it, as a network error does. */
class Dropped extends TypeError {
  constructor() {
    super('fetch failed: the fake dropped the connection');
  }
}

export function createBindingsFake(options: BindingsFakeOptions = {}): BindingsFake {
  const tolerance = { allowOffContract: options.allowOffContract === true };
  const initial = options.bindings
    ? checkFixtures(options.bindings, 'bindings', tolerance)
    : exampleBindings();
  // With no binding at all and no service named, the contract's example service exists.
  const services = options.services
    ? checkServices(options.services)
    : initial.length
      ? []
      : [exampleSids.chatServiceSid];
  let store = new BindingStore(structuredClone(initial), services);
  const credentials = options.credentials ?? {
    username: schemaExamples.AccountSid[0],
    password: DEFAULT_FAKE_PASSWORD,
  };
  const authorization = basicAuthorization(credentials.username, credentials.password);
  const requests: FakeRequest[] = [];
  const faults = new FaultQueue();
  const recorder = new CoverageRecorder();
  /** Counts what an answer exercised, here and in the process's record of every fake. */
  const record = (result: FakeAnswer, url: URL, via: string) =>
    recorder.record(
      {
        via,
        operation: result.operation,
        target: url.pathname + url.search,
        query: url.searchParams,
        status: result.status,
        contentType: mediaType(result.headers['content-type'] ?? null),
        headers: headerSet(result.headers),
        body: result.body,
      },
      everyFake,
    );

  /** The answer to a request, its fault applied; a function given to the fake that throws is a FakeFailure. */
  async function faulted(request: Incoming, entry: FakeRequest, routing: Routing, via: string) {
    const fault = faults.take(entry);
    if (fault && 'drop' in fault) throw new Dropped();
    if (fault && 'delayMs' in fault) await delay(fault.delayMs, request.signal);
    if (fault && 'before' in fault)
      await awaited('the `before` function given to inject', () => fault.before(fake));
    let result =
      fault && 'status' in fault ? faultAnswer(fault, routing) : answer(store, request, entry, routing);
    entry.status = result.status;
    if (fault && 'breakContract' in fault) {
      const what = 'the `breakContract` function given to inject';
      const body = guarded(what, () =>
        fault.breakContract(structuredClone(result.body ?? {}) as Record<string, unknown>),
      );
      return guarded(`the body ${what} returned (as JSON)`, () => toResponse({ ...result, body }));
    }
    let made = 'its own answer';
    if (fault && 'alter' in fault && result.body !== undefined) {
      made = 'the body the `alter` function given to inject returned';
      const body = structuredClone(result.body) as Record<string, unknown>;
      result = { ...result, body: guarded(made, () => served(fault.alter(body))), exact: undefined };
    }
    const counts = keepsContract(result, tolerance.allowOffContract, made);
    if (counts && routing.onPath.length && options.recordCoverage !== false) record(result, request.url, via);
    return toResponse(result);
  }

  /** `via`: how the request came (said in the coverage's source): in-process, msw, mock --stateful over HTTP. */
  async function serve(request: Incoming, via: string): Promise<Response> {
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
    try {
      return await faulted(request, entry, routing, via);
    } catch (failure) {
      // A dropped connection is a fault asked for; an aborted wait, the caller's. Anything else is a failure.
      const { signal } = request;
      if (failure instanceof Dropped || (signal?.aborted && failure === signal.reason)) throw failure;
      const result = failureAnswer(routing, failure);
      entry.status = result.status;
      return toResponse(result);
    }
  }

  const handle = (request: Request): Promise<Response> => {
    try {
      const incoming = { method: request.method, url: new URL(request.url), headers: request.headers };
      return serve({ ...incoming, signal: request.signal }, throughMsw.has(request) ? 'msw' : 'in-process');
    } catch (failure) {
      return Promise.reject(failure);
    }
  };

  const fake: BindingsFake = {
    fetch: (input, init) => {
      try {
        if (typeof input === 'string' || input instanceof URL)
          return serve(incoming(input, init), 'in-process');
        return handle(init ? new Request(input, init) : input);
      } catch (failure) {
        return Promise.reject(failure);
      }
    },
    handle,
    get bindings(): Binding[] {
      return structuredClone(store.list());
    },
    set bindings(value: readonly BindingFixture[]) {
      store = new BindingStore(checkFixtures(value, 'bindings', tolerance), store.services);
    },
    remove: (sid) => store.remove(undefined, sid),
    requests,
    credentials,
    inject: (fault, faultOptions) => faults.add(fault, faultOptions),
    clearFaults: () => faults.clear(),
    clearRequests: () => {
      requests.length = 0;
    },
    coverage: () => recorder.data('fake'),
    reset: () => {
      store = new BindingStore(structuredClone(initial), services);
      faults.clear();
      requests.length = 0;
    },
  };
  socketEntries.set(fake, (request) => serve(request, 'mock --stateful over HTTP'));
  return fake;
}

/** The requests MSW's handlers pass on (`bindingsHandlers` marks them), so coverage can say it came through MSW. */
export const throughMsw = new WeakSet<Request>();

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

/** Resolves after `ms` (never, past what a timer holds), or rejects with the signal's reason when it aborts. */
function delay(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  if (ms <= MAX_TIMER_MS) return sleep(ms, signal ?? undefined);
  return new Promise((_, reject) => {
    if (signal) whenAborted(signal, () => reject(signal.reason));
  });
}
