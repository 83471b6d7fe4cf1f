// createBindingsFake: every resource of the contract as the registry describes it, in memory and stateful:
// Basic auth, list/fetch/delete consistent with each other, the provider's 401/404/405/406 answers,
// injected faults, and a check of every answer against the contract before it leaves (an answer outside
// the contract, or a function given to it that throws, is its own 500 instead). Its parts: ./seed.ts and
// ./state.ts (what it holds), ./service.ts (what the service answers), ./operations.ts (each action),
// ./faulting.ts (faults), ./failures.ts (its own failures), ./fetch-emulation.ts (a request as fetch reads it).
import { schemaExamples } from '../../generated/contract.js';
import { basicAuthorization } from '../client/basic-auth.js';
import { mediaType } from '../client/response.js';
import type { Binding } from '../client/types.js';
import { type FakeAnswer, headerSet, toResponse } from './answers.js';
import { type CoverageData, CoverageRecorder, everyFake } from './coverage.js';
import { failureAnswer } from './failures.js';
import { Dropped, faulted, type Serving } from './faulting.js';
import { type FakeRequest, type FakeState, type Fault, type FaultOptions, FaultQueue } from './faults.js';
import { type Incoming, incoming } from './fetch-emulation.js';
import { BINDING, type BindingFixture, type BindingOptions, bindingSeed } from './fixtures.js';
import { route } from './routing.js';
import { seedOf } from './seed.js';
import { fallbackOf } from './service.js';
import { FakeResources } from './state.js';

export { FAKE_FAILURE, FAKE_FAILURE_STATUS, FakeContractError } from './failures.js';

export interface BindingsFakeOptions extends BindingOptions {
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
   * Hold instances whose fields are off the contract (a `binding_type` the provider added, say) and serve
   * them as the provider would. Default false: such a fixture is a FixtureError (a typo must fail). The
   * fake's answers are still checked against the contract in every other respect, and an answer that
   * holds such an instance counts as no coverage.
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
  /** Back to how it was made: its first instances and parents, no fault, no request logged (its coverage is kept). */
  reset(): void;
  /**
   * The contract's documented outcomes its answers exercised so far (statuses, media types, headers,
   * parameters and their values, body properties, paging), as a coverage file for `bindings-contract coverage`.
   */
  coverage(): CoverageData;
}

/** How many requests `fake.requests` keeps (the oldest go first). */
export const MAX_LOGGED_REQUESTS = 10_000;

/**
 * The password the fake accepts unless told otherwise (with the contract's example Account SID): shaped as
 * an auth token, with a digit in every 4 characters, so the redaction of its runs never masks a word of a
 * message (1.1.0 used `fake-auth-token`, which masked "fake", "auth" and "token" wherever they were said).
 */
export const DEFAULT_FAKE_PASSWORD = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** Counts what an answer exercised, in a fake's recorder and in the process's record of every fake. */
const recorderOf = (recorder: CoverageRecorder) => (result: FakeAnswer, url: URL, via: string) =>
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

/**
 * A request's answer: logged (never a credential), routed, faulted; a failure of the fake is its 500.
 * `via`: how the request came (said in the coverage's source): in-process, msw, mock --stateful over HTTP.
 */
function serverOf(serving: Serving, requests: FakeRequest[], authorization: string) {
  return async (request: Incoming, via: string): Promise<Response> => {
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
      return await faulted(serving, { request, entry, routing, via });
    } catch (failure) {
      // A dropped connection is a fault asked for; an aborted wait, the caller's. Anything else is a failure.
      const { signal } = request;
      if (failure instanceof Dropped || (signal?.aborted && failure === signal.reason)) throw failure;
      const result = failureAnswer(fallbackOf(routing), failure);
      entry.status = result.status;
      return toResponse(result);
    }
  };
}

/** A `Request` served as the fake serves any request (MSW's marked as such); a throw is a rejection. */
const handlerOf =
  (serve: (request: Incoming, via: string) => Promise<Response>) =>
  (request: Request): Promise<Response> => {
    try {
      const { method, headers, signal } = request;
      const via = throughMsw.has(request) ? 'msw' : 'in-process';
      return serve({ method, url: new URL(request.url), headers, signal }, via);
    } catch (failure) {
      return Promise.reject(failure);
    }
  };

export function createBindingsFake(options: BindingsFakeOptions = {}): BindingsFake {
  const allowOffContract = options.allowOffContract === true;
  const state = new FakeResources(seedOf(bindingSeed(options)), { allowOffContract });
  const credentials = options.credentials ?? {
    username: schemaExamples.AccountSid[0],
    password: DEFAULT_FAKE_PASSWORD,
  };
  const requests: FakeRequest[] = [];
  const faults = new FaultQueue();
  const recorder = new CoverageRecorder();
  const record = options.recordCoverage === false ? undefined : recorderOf(recorder);
  // What a `before` fault is given: the fake itself, made below.
  let fake: BindingsFake | undefined;
  const given = { get: () => fake as BindingsFake };
  const serving: Serving = { state, faults, fake: given, tolerant: allowOffContract, record };
  const serve = serverOf(serving, requests, basicAuthorization(credentials.username, credentials.password));
  const handle = handlerOf(serve);
  const bindings = state.handle(BINDING);
  fake = {
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
      return bindings.instances;
    },
    set bindings(value: readonly BindingFixture[]) {
      bindings.instances = value;
    },
    remove: (sid) => bindings.remove(sid),
    resource: (name) => state.handle(name),
    requests,
    credentials,
    inject: (fault, faultOptions) => faults.add(fault, faultOptions),
    clearFaults: () => faults.clear(),
    clearRequests: () => {
      requests.length = 0;
    },
    coverage: () => recorder.data('fake'),
    reset: () => {
      state.reset();
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
