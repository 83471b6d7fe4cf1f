// The contract check's checks, one row each: a name, a title, when it applies, the requests it
// sends, and the evidence it draws from the answers. The report follows this table's order; adding a
// check is adding a row. Expected statuses and media types come from the contract's documented responses.
import { operationFacts, responses, statusOfResponse } from '../../generated/contract.js';
import type { Binding, BindingsPageMeta, OperationId } from '../client/types.js';
import { type Answered, documentedResponse, conformance as judged } from '../testing/conformance.js';
import { invalidValues, type ParameterName, validValue } from './seeded.js';
import type { Evidence, Exchange, Probe, VerifyOptions } from './verify.js';

export interface Check {
  name: string;
  title: string;
  /** Why the check cannot apply to this target; undefined when it applies. */
  skip?(options: VerifyOptions): string | undefined;
  /** Sends the check's requests. A check without one judges the whole run. */
  probe?(probe: Probe): Promise<unknown>;
  /** `run`: judged on every exchange of the run, after every probe; otherwise on the check's own. */
  over?: 'run';
  /** What broke, from the exchanges: no evidence means the check passed. */
  evidence(exchanges: Exchange[], options: VerifyOptions): Evidence[];
}

export const MOCK_SKIP =
  "the embedded mock is stateless: it serves the contract's examples and accepts any well-formed credentials";
const onMock = (options: VerifyOptions) => (options.mock ? MOCK_SKIP : undefined);

/** HTTP's own answers (RFC 9110) that the contract leaves to `default`: what the checks accept for them. */
const FORBIDDEN = 403;
const METHOD_NOT_ALLOWED = 405;
const NOT_ACCEPTABLE = 406;

const {
  FetchServiceBinding: fetchOp,
  ListServiceBinding: listOp,
  DeleteServiceBinding: deleteOp,
} = operationFacts;
/** The success an operation documents: its status and media types. */
const successOf = (op: { success: object }) => {
  const [status = '', types = {}] = Object.entries(op.success)[0] ?? [];
  return { status: Number(status), types: Object.keys(types).join(', ') };
};
const FOUND = successOf(fetchOp).status;
const LISTED = successOf(listOp).status;
const DELETED = successOf(deleteOp).status;
const UNAUTHORIZED = Number(statusOfResponse.Unauthorized);
const NOT_FOUND = Number(statusOfResponse.NotFound);

/** For each path of the contract, a method it does not document there: the first of these that is not. */
const undocumentedMethods = [...new Set(Object.values(operationFacts).map((op) => op.path))].map((path) => ({
  path,
  operation: (Object.entries(operationFacts).find(([, op]) => op.path === path)?.[0] ??
    'FetchServiceBinding') as OperationId,
  method: ['PUT', 'DELETE', 'PATCH', 'POST'].find(
    (method) => !Object.values(operationFacts).some((op) => op.path === path && op.method === method),
  ) as string,
}));
const shortPath = (path: string) => `…${path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1))}`;
/** A media type no response documents. */
const unacceptableType = ['application/xml', 'text/html', 'text/csv'].find(
  (type) =>
    !Object.values(responses).some((byStatus) => Object.values(byStatus).some((r) => type in r.content)),
) as string;

const is4xx = (x: Exchange) => (x.status ?? 0) >= 400 && (x.status ?? 0) <= 499;
const got = (x: Exchange) => x.error ?? x.status;

function problem(x: Exchange, text: string): Evidence {
  return { request: x.request, ...(x.status !== undefined && { status: x.status }), problem: text };
}

/** Where an answer breaks what the contract documents for its status: status, content type, body. */
export function conformance(x: Exchange): Evidence[] {
  if (x.status === undefined) return [];
  return judged(x as Answered, { redact: x.redact }).map((text) => problem(x, text));
}

/** The exchange answered one of the expected statuses with a conforming body; else why not. */
const answered = (x: Exchange, expected: number[], what = expected.join(' or ')) =>
  x.status !== undefined && expected.includes(x.status)
    ? conformance(x)
    : [problem(x, `expected ${what}, got ${got(x)}`)];

const each = (exchanges: Exchange[], judge: (x: Exchange) => Evidence[]) => exchanges.flatMap(judge);

export const checks: Check[] = [
  {
    name: 'known_binding',
    title: `The known binding: ${FOUND}, ${successOf(fetchOp).types}, a conforming body, the documented headers`,
    probe: ({ send, known }) => send({ operation: 'FetchServiceBinding', path: known }),
    evidence: (exchanges) =>
      each(exchanges, (x) => {
        if (x.status !== FOUND) return [problem(x, `expected ${FOUND}, got ${got(x)}`)];
        const headers = documentedResponse(x.operation, FOUND)?.headers ?? [];
        return [
          ...conformance(x),
          ...headers
            .filter((h) => !x.headers.has(h))
            .map((h) => problem(x, `documented header ${h} is missing`)),
        ];
      }),
  },
  {
    name: 'not_a_server_error',
    title: 'No request gets a 5xx',
    over: 'run',
    evidence: (exchanges) =>
      exchanges
        .filter((x) => (x.status ?? 0) >= 500)
        .map((x) => problem(x, `server error ${x.status} (during ${x.check})`)),
  },
  {
    name: 'negative_data',
    title: 'Invalid path parameters are rejected with a 4xx',
    async probe({ send, known, random }) {
      for (const parameter of fetchOp.parameters) {
        for (const { kind, encoded } of invalidValues(parameter.name as ParameterName, random)) {
          const about = `${parameter.key} with a ${kind} value`;
          await send({
            operation: 'FetchServiceBinding',
            path: { ...known, [parameter.key]: encoded },
            about,
          });
        }
      }
    },
    evidence: (exchanges) =>
      exchanges
        .filter((x) => x.error || !is4xx(x))
        .map((x) => problem(x, `${x.about} should get a 4xx, got ${got(x)}`)),
  },
  {
    name: 'auth_no_credentials',
    title: `No credentials: ${UNAUTHORIZED} with a conforming error body`,
    probe: ({ send, known }) => send({ operation: 'FetchServiceBinding', path: known, credentials: 'none' }),
    evidence: (exchanges) => each(exchanges, (x) => answered(x, [UNAUTHORIZED])),
  },
  {
    name: 'auth_wrong_credentials',
    title: `Wrong credentials: ${UNAUTHORIZED} or ${FORBIDDEN} with a conforming error body`,
    skip: onMock,
    probe: ({ send, known }) => send({ operation: 'FetchServiceBinding', path: known, credentials: 'wrong' }),
    evidence: (exchanges) => each(exchanges, (x) => answered(x, [UNAUTHORIZED, FORBIDDEN])),
  },
  {
    name: 'unknown_binding',
    title: `An unknown binding: ${NOT_FOUND} with a conforming error body`,
    skip: onMock,
    probe: ({ send, known, random }) =>
      send({ operation: 'FetchServiceBinding', path: { ...known, sid: validValue('Sid', random) } }),
    evidence: (exchanges) =>
      each(exchanges, (x) => answered(x, [NOT_FOUND], `${NOT_FOUND} for a binding that does not exist`)),
  },
  {
    name: 'status_conformance',
    title: 'Every status, content type and body received is documented and conforms',
    over: 'run',
    evidence: (exchanges) =>
      exchanges.flatMap((x) =>
        conformance(x).map((e) => ({ ...e, problem: `${e.problem} (during ${x.check})` })),
      ),
  },
  {
    name: 'undocumented_method',
    title: `An undocumented method on each path (${undocumentedMethods.map((u) => `${u.method} ${shortPath(u.path)}`).join(', ')}): ${METHOD_NOT_ALLOWED} or another 4xx`,
    async probe({ send, known }) {
      for (const { operation, method } of undocumentedMethods) await send({ operation, path: known, method });
    },
    evidence: (exchanges) =>
      each(exchanges, (x) =>
        is4xx(x) ? [] : [problem(x, `expected ${METHOD_NOT_ALLOWED} or another 4xx, got ${got(x)}`)],
      ),
  },
  {
    name: 'unacceptable_accept',
    title: `An unacceptable Accept (${unacceptableType}): ${NOT_ACCEPTABLE} or another 4xx`,
    probe: ({ send, known }) =>
      send({ operation: 'FetchServiceBinding', path: known, accept: unacceptableType }),
    evidence: (exchanges) =>
      each(exchanges, (x) =>
        is4xx(x) ? [] : [problem(x, `expected ${NOT_ACCEPTABLE} or another 4xx, got ${got(x)}`)],
      ),
  },
  {
    name: 'list_bindings',
    title: `The first page of bindings: ${LISTED}, ${successOf(listOp).types}, a conforming body`,
    probe: ({ send, known }) => send({ operation: 'ListServiceBinding', path: known }),
    evidence: (exchanges) => each(exchanges, (x) => answered(x, [LISTED])),
  },
  {
    name: 'list_pagination',
    title:
      'Following next_page_url ends: every page conforms with the page size asked, no binding twice, the known binding listed',
    probe: (probe) => walk(probe, `${name('pageSize')}=${probe.options.pageSize}`),
    evidence: (exchanges, options) => [
      ...walkEvidence(exchanges, options),
      ...exchanges
        .filter((x) => x.status === LISTED && pageOf(x)?.meta?.page_size !== options.pageSize)
        .map((x) =>
          problem(x, `meta.page_size is ${pageOf(x)?.meta?.page_size}, but ${options.pageSize} was asked`),
        ),
      ...knownListed(exchanges, options),
    ],
  },
  {
    name: 'list_filters',
    title: "Filters are honoured: the known binding's type and identity each return only their bindings",
    skip: (options) => (options.mock ? MOCK_SERVES_EXAMPLES : undefined),
    async probe({ send, known, exchanges }) {
      // The known binding as fetched (any success); a value the contract would refuse as a filter is no filter.
      const fetched = exchanges.find(
        (x) => x.check === 'known_binding' && (x.status ?? 0) >= 200 && (x.status ?? 0) < 300,
      );
      const binding = fetched?.body as Binding | undefined;
      for (const [key, value] of [
        ['bindingType', binding?.binding_type],
        ['identity', binding?.identity],
      ] as const) {
        const rule = listOp.parameters.find((p) => p.key === key);
        if (typeof value !== 'string' || !rule?.validate([value])) continue;
        const query = `${name(key)}=${encodeURIComponent(value)}`;
        await send({ operation: 'ListServiceBinding', path: known, query, about: `${key}=${value}` });
      }
    },
    evidence: (exchanges) => [
      ...(exchanges.length
        ? []
        : [{ request: '(none)', problem: 'the known binding was not fetched: nothing to filter by' }]),
      ...each(exchanges, (x) => {
        if (x.status !== LISTED) return answered(x, [LISTED]);
        // The value may hold `=` itself: the key is what comes before the first one.
        const about = x.about ?? '';
        const [key, value] = [about.slice(0, about.indexOf('=')), about.slice(about.indexOf('=') + 1)];
        const field = key === 'bindingType' ? 'binding_type' : 'identity';
        return (pageOf(x)?.bindings ?? [])
          .filter((b) => b[field] !== value)
          .map((b) =>
            problem(
              x,
              `binding ${b.sid} has ${field} ${JSON.stringify(b[field])}, but the list was filtered by ${x.about}`,
            ),
          );
      }),
    ],
  },
  {
    name: 'negative_query_data',
    title: 'Invalid query parameters are rejected with a 4xx',
    async probe({ send, known, random }) {
      for (const parameter of listOp.parameters.filter((p) => p.in === 'query'))
        for (const { kind, encoded } of invalidValues(parameter.name as ParameterName, random)) {
          const about = `${parameter.key} with a ${kind} value`;
          await send({
            operation: 'ListServiceBinding',
            path: known,
            query: `${parameter.name}=${encoded}`,
            about,
          });
        }
    },
    evidence: (exchanges) =>
      exchanges
        .filter((x) => x.error || !is4xx(x))
        .map((x) => problem(x, `${x.about} should get a 4xx, got ${got(x)}`)),
  },
  {
    name: 'delete_binding',
    title: `Deleting the binding named by --delete-binding-sid: ${DELETED}, ${successOf(deleteOp).types || 'no body'}`,
    skip: (options) => (options.deleteBindingSid ? undefined : DESTRUCTIVE),
    probe: ({ send, known, options }) =>
      send({ operation: 'DeleteServiceBinding', path: deleting(known, options) }),
    evidence: (exchanges) => each(exchanges, (x) => answered(x, [DELETED])),
  },
  {
    name: 'use_after_free',
    title: `The deleted binding is not served: ${NOT_FOUND}`,
    skip: (options) => (options.deleteBindingSid ? onMock(options) : DESTRUCTIVE),
    probe: ({ send, known, options }) =>
      send({ operation: 'FetchServiceBinding', path: deleting(known, options) }),
    evidence: (exchanges) =>
      each(exchanges, (x) => answered(x, [NOT_FOUND], `${NOT_FOUND} for a binding that was deleted`)),
  },
  {
    name: 'deleted_not_listed',
    title: 'The deleted binding leaves the list',
    skip: (options) => (options.deleteBindingSid ? onMock(options) : DESTRUCTIVE),
    probe: (probe) => walk(probe, `${name('pageSize')}=${probe.options.pageSize}`),
    evidence: (exchanges, options) => [
      ...walkEvidence(exchanges, options),
      ...exchanges
        .filter((x) => pageOf(x)?.bindings?.some((b) => b.sid === options.deleteBindingSid))
        .map((x) => problem(x, `the deleted binding ${options.deleteBindingSid} is still listed`)),
    ],
  },
  {
    name: 'delete_twice',
    title: `Deleting it again: ${NOT_FOUND}`,
    skip: (options) => (options.deleteBindingSid ? onMock(options) : DESTRUCTIVE),
    probe: ({ send, known, options }) =>
      send({ operation: 'DeleteServiceBinding', path: deleting(known, options) }),
    evidence: (exchanges) =>
      each(exchanges, (x) => answered(x, [NOT_FOUND], `${NOT_FOUND} for a binding already deleted`)),
  },
];

const DESTRUCTIVE = 'destructive: runs only with --delete-binding-sid, naming a binding it may delete';
const MOCK_SERVES_EXAMPLES =
  "the embedded mock serves the contract's examples: it neither stores nor filters bindings";

/** A list query parameter's name in the contract, by its camel-cased key. */
const name = (key: string) => listOp.parameters.find((p) => p.key === key)?.name as string;
const deleting = (known: Probe['known'], options: VerifyOptions) => ({
  ...known,
  sid: encodeURIComponent(options.deleteBindingSid ?? ''),
});
const pageOf = (x: Exchange) =>
  x.status === LISTED ? (x.body as { bindings?: Binding[]; meta?: BindingsPageMeta } | undefined) : undefined;

/** A list page URL the service wrote, as the path and query to ask of the target. */
function targetOf(pageUrl: unknown): string | undefined {
  try {
    const url = new URL(String(pageUrl));
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

/** Walks a list from its first page along next_page_url, up to --max-pages, never a page twice or off the list. */
async function walk({ send, known, options }: Probe, query: string): Promise<void> {
  let x = await send({ operation: 'ListServiceBinding', path: known, query });
  const seen = new Set([x.target]);
  for (let pages = 1; pages < options.maxPages; pages++) {
    const target = targetOf(pageOf(x)?.meta?.next_page_url);
    if (!target || seen.has(target) || target.split('?')[0] !== x.target.split('?')[0]) return;
    seen.add(target);
    x = await send({ operation: 'ListServiceBinding', path: known, target });
  }
}

/** What a walk's pages say about it: each conforms, links within the list without a loop, lists no binding twice. */
function walkEvidence(exchanges: Exchange[], options: VerifyOptions): Evidence[] {
  const evidence: Evidence[] = [];
  const asked = new Set(exchanges.map((x) => x.target));
  const listed = new Map<unknown, string>();
  exchanges.forEach((x, i) => {
    for (const e of answered(x, [LISTED])) evidence.push(e);
    const next = pageOf(x)?.meta?.next_page_url;
    const target = next == null ? undefined : targetOf(next);
    if (next != null && (!target || target.split('?')[0] !== x.target.split('?')[0]))
      evidence.push(problem(x, `meta.next_page_url ${JSON.stringify(next)} is not a page of this list`));
    else if (target && asked.has(target) && exchanges.findIndex((y) => y.target === target) <= i)
      evidence.push(
        problem(
          x,
          `meta.next_page_url leads back to a page already fetched (${target}): the walk would loop`,
        ),
      );
    for (const b of pageOf(x)?.bindings ?? []) {
      if (listed.has(b.sid))
        evidence.push(problem(x, `binding ${b.sid} is listed twice (first at ${listed.get(b.sid)})`));
      else listed.set(b.sid, x.target);
    }
  });
  if (exchanges.length > options.maxPages)
    evidence.push({ request: '(walk)', problem: 'the walk went past --max-pages' });
  return evidence;
}

/** When the walk reached the last page, the known binding must be among the pages. */
function knownListed(exchanges: Exchange[], options: VerifyOptions): Evidence[] {
  const last = exchanges.at(-1);
  const ended = last && pageOf(last)?.meta?.next_page_url === null;
  const found = exchanges.some((x) => pageOf(x)?.bindings?.some((b) => b.sid === options.bindingSid));
  return ended && !found && last
    ? [problem(last, `the walk ended without listing the known binding ${options.bindingSid}`)]
    : [];
}
