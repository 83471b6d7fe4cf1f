// A request's answer with its fault applied (a status, a delay, a drop, a body altered within the contract
// or broken on purpose, a change made before it), and the answer checked against the contract as it leaves.
import { MAX_TIMER_MS, sleep, whenAborted } from '../client/bounds.js';
import { errorBody, type FakeAnswer, faultHeaders, jsonAnswer, toResponse } from './answers.js';
import { awaited, guarded, keepsContract } from './failures.js';
import type { FakeRequest, FakeState, Fault, FaultQueue } from './faults.js';
import type { Incoming } from './fetch-emulation.js';
import type { Routing } from './routing.js';
import { answer, fallbackOf } from './service.js';
import type { FakeResources } from './state.js';

/** What answering a request takes: the fake's state, its faults, and where its coverage goes. */
export interface Serving {
  state: FakeResources;
  faults: FaultQueue;
  /** What a `before` fault is given (the fake, made after its server). */
  fake: { get(): FakeState };
  /** Whether instances off the contract are held (their answers count as no coverage). */
  tolerant: boolean;
  /** Records what a conforming answer exercised, and how it came (`via`); absent, nothing is recorded. */
  record: ((result: FakeAnswer, url: URL, via: string) => void) | undefined;
}

/** A request being answered: as it came, as logged, as routed, and how it came (said in the coverage's source). */
export interface Answering {
  request: Incoming;
  entry: FakeRequest;
  routing: Routing;
  via: string;
}

/** The fault that drops a connection: the fetch rejects with it, as a network error does. */
export class Dropped extends TypeError {
  constructor() {
    super('fetch failed: the fake dropped the connection');
  }
}

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

/** A body as it will be served: its JSON, read back (a `toJSON` changes what is served). */
const served = (body: unknown): unknown => {
  const text = JSON.stringify(body);
  return text === undefined ? undefined : JSON.parse(text);
};

/** The answer with its body broken on purpose (what the function returns, awaited): not checked, never counted. */
async function broken(
  fault: Extract<Fault, { breakContract: unknown }>,
  result: FakeAnswer,
): Promise<Response> {
  const what = 'the `breakContract` function given to inject';
  const body = await awaited(what, () =>
    fault.breakContract(structuredClone(result.body ?? {}) as Record<string, unknown>),
  );
  return guarded(`the body ${what} returned (as JSON)`, () => toResponse({ ...result, body }));
}

/** The answer to a request, its fault applied; a function given to the fake that throws or rejects is a FakeFailure. */
export async function faulted(
  serving: Serving,
  { request, entry, routing, via }: Answering,
): Promise<Response> {
  const fault = serving.faults.take(entry);
  if (fault && 'drop' in fault) throw new Dropped();
  if (fault && 'delayMs' in fault) await delay(fault.delayMs, request.signal);
  if (fault && 'before' in fault)
    await awaited('the `before` function given to inject', () => fault.before(serving.fake.get()));
  let result =
    fault && 'status' in fault ? faultAnswer(fault, routing) : answer(serving.state, request, entry, routing);
  entry.status = result.status;
  if (fault && 'breakContract' in fault) return broken(fault, result);
  let made = 'its own answer';
  if (fault && 'alter' in fault && result.body !== undefined) {
    made = 'the body the `alter` function given to inject returned';
    const body = structuredClone(result.body) as Record<string, unknown>;
    const altered = await awaited(made, () => fault.alter(body));
    result = { ...result, body: guarded(made, () => served(altered)), exact: undefined };
  }
  const counts = keepsContract(result, serving.tolerant, made);
  if (counts && routing.onPath.length) serving.record?.(result, request.url, via);
  return toResponse(result);
}

/** Resolves after `ms` (never, past what a timer holds), or rejects with the signal's reason when it aborts. */
function delay(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  if (ms <= MAX_TIMER_MS) return sleep(ms, signal ?? undefined);
  return new Promise((_, reject) => {
    if (signal) whenAborted(signal, () => reject(signal.reason));
  });
}
