// Single-fault services generated from the contract: the stateful fake, with one documented outcome of one
// operation broken at a time (a documented header dropped, a media type or status it does not document, a
// body that breaks its schema, a body where none is documented) or one operation that ignores credentials.
// Faults are made only for the outcomes a run of verify against the faithful fake exercised: what it cannot
// provoke (a 429, a 5xx) no check can judge.
import { operationFacts, responses } from '../../generated/contract.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import type { OperationId } from '../../src/client/index.ts';
import type { FakeState } from '../../src/testing/faults.ts';
import { matchPath } from './contract.ts';

type Documented = Record<string, { content: Record<string, unknown>; headers: readonly string[] }>;
const documented = (op: OperationId) => responses[op] as unknown as Documented;

/** The operation a request is for, by its method and path. */
export function operationOf(request: Request): OperationId | undefined {
  const { pathname } = new URL(request.url);
  return (Object.keys(operationFacts) as OperationId[]).find(
    (id) => operationFacts[id].method === request.method && matchPath(operationFacts[id].path, pathname),
  );
}

/** The documented response an answer falls under: its status, else `default` for an error. */
export const responseKey = (op: OperationId, status: number) =>
  String(status) in documented(op) ? String(status) : status >= 400 ? 'default' : String(status);

/** A media type no response of the contract documents. */
const undocumentedType = ['text/plain', 'text/html', 'application/xml'].find(
  (type) =>
    !Object.values(responses).some((byStatus) => Object.values(byStatus).some((r) => type in r.content)),
) as string;

export interface SingleFault {
  name: string;
  operation: OperationId;
  /** What the fault breaks: an answer of one outcome, credentials, or a list or state rule. */
  kind?: 'outcome' | 'credentials' | 'list' | 'state';
  /** Around every request (a rule of state spans operations): answers as the faulty service would. */
  around?(
    request: Request,
    op: OperationId,
    next: (r: Request) => Promise<Response>,
    state: FakeState,
  ): Promise<Response>;
  /** The request as the service lets it through (credentials ignored), or as it came. */
  request?(request: Request, valid: string): Request;
  /** The answer broken, or as the fake gave it. */
  answer?(response: Response): Promise<Response> | Response;
}

/** An answer with its status, headers or body replaced. */
async function rebuilt(
  response: Response,
  change: { status?: number; headers?: (h: Headers) => void; body?: string | null },
): Promise<Response> {
  const headers = new Headers(response.headers);
  change.headers?.(headers);
  const body = change.body === undefined ? await response.arrayBuffer() : change.body;
  // A 204 or 205 carries no body at all (the Fetch standard refuses even an empty one).
  const empty = typeof body !== 'string' && body?.byteLength === 0;
  return new Response(empty ? null : body, { status: change.status ?? response.status, headers });
}

/** The faults of one documented outcome (an operation's status), each breaking one thing of it. */
function outcomeFaults(op: OperationId, key: string): SingleFault[] {
  const doc = documented(op)[key];
  if (!doc) return [];
  const at = (status: number) => responseKey(op, status) === key;
  const when = (name: string, change: Parameters<typeof rebuilt>[1]): SingleFault => ({
    name: `${op} ${key}: ${name}`,
    operation: op,
    kind: 'outcome',
    answer: (r) => (at(r.status) ? rebuilt(r, change) : r),
  });
  const faults = doc.headers.map((h) => when(`drops ${h}`, { headers: (headers) => headers.delete(h) }));
  // (A body where none is documented cannot be sent: HTTP gives a 204 none.)
  if (Object.keys(doc.content).length) {
    faults.push(
      when(`a body of ${undocumentedType}`, { headers: (h) => h.set('content-type', undocumentedType) }),
    );
    faults.push(when('a body that breaks its schema', { body: '[]' }));
  }
  // Another status, where the contract documents none for it (any other 4xx or 5xx falls under `default`).
  const other = Number(key) + 1;
  if (other < 400 && !(String(other) in documented(op)))
    faults.push(when(`${other} instead`, { status: other }));
  return faults;
}

/** Every single fault of the outcomes observed (`operation` → the documented statuses answered), and credentials ignored on each operation. */
export function singleFaults(observed: ReadonlyMap<OperationId, ReadonlySet<string>>): SingleFault[] {
  return [...observed].flatMap(([op, keys]) => [
    ...[...keys].flatMap((key) => outcomeFaults(op, key)),
    {
      name: `${op}: credentials ignored`,
      operation: op,
      kind: 'credentials' as const,
      request: (request: Request, valid: string) => {
        const headers = new Headers(request.headers);
        headers.set('authorization', valid);
        return new Request(request, { headers });
      },
    },
  ]);
}

/** A fetch that answers as `handle` does, with a fault on one operation's requests and answers. */
export function faulty(
  handle: (request: Request) => Promise<Response>,
  credentials: { username: string; password: string },
  fault?: SingleFault,
  seen?: (op: OperationId, status: number) => void,
  state?: FakeState,
): typeof fetch {
  const valid = basicAuthorization(credentials.username, credentials.password);
  return async (input, init) => {
    let request = new Request(input, init);
    const op = operationOf(request);
    if (op && fault?.operation === op && fault.request) request = fault.request(request, valid);
    const response =
      op && fault?.around && state ? await fault.around(request, op, handle, state) : await handle(request);
    if (op) seen?.(op, response.status);
    return op && fault?.operation === op && fault.answer ? fault.answer(response) : response;
  };
}
