// The contract check's checks, one row each: a name, a title, what it proves, when it applies, the
// requests it sends, and its judgement of each answer. The report follows this table's order; adding a
// check is adding a row. Expected statuses and media types come from the contract's documented responses.
import { operationFacts, parameterOf, responses, statusCodes } from '../../generated/contract.js';
import { Recent } from '../client/recent.js';
import type { Binding, BindingsPageMeta, OperationId } from '../client/types.js';
import { documentedResponse } from '../testing/conformance.js';
import {
  anyOf,
  asWritten,
  type Check,
  type Exchange,
  type Finding,
  type Guard,
  guard,
  type Probe,
  Skip,
  type VerifyOptions,
} from './check.js';
import { fuzzOperation } from './fuzz.js';
import { type Said, said, word, words } from './said.js';
import { invalidValues, type ParameterName, validValue } from './seeded.js';

export const MOCK_SKIP =
  "the embedded mock is stateless: it serves the contract's examples and accepts any well-formed credentials";
const DESTRUCTIVE = 'destructive: runs only with --delete-binding-sid, naming a binding it may delete';
const MOCK_SERVES_EXAMPLES =
  "the embedded mock serves the contract's examples: it neither stores nor filters bindings";

const STATELESS_SKIP =
  '--stateless: the target keeps no state (it serves fixed answers and may accept any well-formed credentials)';

/** Guards: a target that keeps no state; no binding named that may be deleted. */
const stateless = guard(
  'against a target that keeps no state (the embedded Prism mock, --stateless)',
  (options) => (options.mock ? MOCK_SKIP : options.stateless ? STATELESS_SKIP : undefined),
);
const destructive = guard('without --delete-binding-sid', (options) =>
  options.deleteBindingSid ? undefined : DESTRUCTIVE,
);
const filtersNothing = guard(
  'against a target that does not filter (the embedded Prism mock, --stateless)',
  (options) => (options.mock ? MOCK_SERVES_EXAMPLES : options.stateless ? STATELESS_SKIP : undefined),
);

/** HTTP's own answers (RFC 9110) that the contract leaves to `default`: what the checks accept for them. */
const FORBIDDEN_STATUS = 403;
const METHOD_NOT_ALLOWED = 405;
const NOT_ACCEPTABLE = 406;

const {
  FetchServiceBinding: fetchOp,
  ListServiceBinding: listOp,
  DeleteServiceBinding: deleteOp,
} = operationFacts;
const { successStatus: FOUND } = fetchOp;
const { successStatus: LISTED } = listOp;
const { successStatus: DELETED } = deleteOp;
const { Unauthorized: UNAUTHORIZED, NotFound: NOT_FOUND } = statusCodes;

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
const isSuccess = (x: Exchange) => (x.status ?? 0) >= 200 && (x.status ?? 0) <= 299;
/** What came back instead: the status, or why there was none (the run's own words, already redacted). */
const got = (x: Exchange): Said => (x.error ? words(x.error) : said`${x.status ?? 0}`);

function finding(x: Exchange, problem: Said, expected?: readonly number[]): Finding {
  return {
    request: x.request,
    ...(x.status !== undefined && { status: x.status }),
    problem,
    ...(expected && { expected }),
  };
}

/** Where an answer breaks what the contract documents for its status: status, content type, body. */
const conformanceOf = (x: Exchange): Finding[] => (x.problems ?? []).map((text) => finding(x, words(text)));

/** The exchange answered one of the expected statuses with a conforming body; else why not. */
const answered = (x: Exchange, expected: number[], what = expected.join(' or ')) =>
  x.status !== undefined && expected.includes(x.status)
    ? conformanceOf(x)
    : [finding(x, said`expected ${word(what)}, got ${got(x)}`, expected)];

/** A check whose requests must each be refused with a 4xx (`expected` is the status RFC 9110 names). */
function refused(
  row: Pick<Check, 'name' | 'title' | 'proves' | 'probe'> & { expected: number; skip?: Guard },
): Check {
  return {
    ...row,
    judge: (x) =>
      is4xx(x) ? [] : [finding(x, said`expected ${row.expected} or another 4xx, got ${got(x)}`)],
  };
}

/** A check whose requests each try an invalid value (`about` says which): each must get a 4xx. */
const rejectsInvalid = (x: Exchange) =>
  x.error || !is4xx(x)
    ? [finding(x, said`${x.about ?? words('the request')} should get a 4xx, got ${got(x)}`)]
    : [];

export const checks: Check[] = [
  {
    name: 'known_binding',
    title: `The known binding: ${FOUND}, ${fetchOp.successType}, a conforming body, the documented headers`,
    proves: `The known binding answers ${FOUND}, ${fetchOp.successType}, a body that conforms to its schema (formats included), and every documented response header.`,
    async probe({ send, known, facts }) {
      const x = await send({ operation: 'FetchServiceBinding', path: known });
      if (isSuccess(x) && typeof x.body === 'object' && x.body !== null) {
        const { binding_type, identity } = x.body as Binding;
        facts.knownBinding = { binding_type, identity };
      }
    },
    judge(x) {
      if (x.status !== FOUND) return [finding(x, said`expected ${FOUND}, got ${got(x)}`, [FOUND])];
      const headers = documentedResponse(x.operation, FOUND)?.headers ?? [];
      return [
        ...conformanceOf(x),
        ...headers
          .filter((h) => !x.headers.has(h))
          .map((h) => finding(x, said`documented header ${word(h)} is missing`)),
      ];
    },
  },
  {
    name: 'not_a_server_error',
    title: 'No request gets a 5xx',
    proves: 'No request of the run got a 5xx.',
    overRun: (run) =>
      run
        .filter((d) => (d.status ?? 0) >= 500 && !d.shrinking)
        .map((d) => ({
          request: d.request,
          status: d.status as number,
          problem: said`server error ${d.status ?? 0} (during ${word(d.check)})`,
          during: d.check,
        })),
  },
  {
    name: 'negative_data',
    title: 'Invalid path parameters are rejected with a 4xx',
    proves:
      'For each path parameter, invalid values generated from its rule (wrong prefix, too short, too long, a character outside the alphabet, Unicode, an encoded slash) get a 4xx, never a 2xx or 5xx.',
    async probe({ send, known, random }) {
      for (const parameter of fetchOp.parameters)
        for (const { kind, encoded } of invalidValues(parameter.name as ParameterName, random))
          await send({
            operation: 'FetchServiceBinding',
            path: { ...known, [parameter.key]: encoded },
            about: words(`${parameter.key} with a ${kind} value`),
          });
    },
    judge: rejectsInvalid,
  },
  {
    name: 'auth_no_credentials',
    title: `No credentials: ${UNAUTHORIZED} with a conforming error body`,
    proves: `A request with no credentials answers ${UNAUTHORIZED} with a conforming error body.`,
    probe: ({ send, known }) => send({ operation: 'FetchServiceBinding', path: known, credentials: 'none' }),
    judge: (x) => answered(x, [UNAUTHORIZED]),
  },
  {
    name: 'auth_wrong_credentials',
    title: `Wrong credentials: ${UNAUTHORIZED} or ${FORBIDDEN_STATUS} with a conforming error body`,
    proves: `A request with a wrong password answers ${UNAUTHORIZED} or ${FORBIDDEN_STATUS} with a conforming error body.`,
    skip: stateless,
    probe: ({ send, known }) => send({ operation: 'FetchServiceBinding', path: known, credentials: 'wrong' }),
    judge: (x) => answered(x, [UNAUTHORIZED, FORBIDDEN_STATUS]),
  },
  {
    name: 'unknown_binding',
    title: `An unknown binding: ${NOT_FOUND} with a conforming error body`,
    proves: `A valid but unknown Binding SID (random) answers ${NOT_FOUND} with a conforming error body.`,
    skip: stateless,
    probe: ({ send, known, random }) =>
      send({ operation: 'FetchServiceBinding', path: { ...known, sid: validValue('Sid', random) } }),
    judge: (x) => answered(x, [NOT_FOUND], `${NOT_FOUND} for a binding that does not exist`),
  },
  {
    name: 'status_conformance',
    title: 'Every status, content type and body received is documented and conforms',
    proves:
      'Every status received is documented (a 4xx/5xx may fall under `default`; a success or redirect must be listed), and its content type and body match what is documented for it.',
    overRun: (run) =>
      run.flatMap((d) =>
        (d.shrinking ? [] : d.problems).map((text) => ({
          request: d.request,
          ...(d.status !== undefined && { status: d.status }),
          problem: said`${words(text)} (during ${word(d.check)})`,
          during: d.check,
        })),
      ),
  },
  refused({
    name: 'undocumented_method',
    title: `An undocumented method on each path (${undocumentedMethods.map((u) => `${u.method} ${shortPath(u.path)}`).join(', ')}): ${METHOD_NOT_ALLOWED} or another 4xx`,
    proves: `On each path, a method the contract does not document there gets ${METHOD_NOT_ALLOWED} or another 4xx.`,
    expected: METHOD_NOT_ALLOWED,
    async probe({ send, known }) {
      for (const { operation, method } of undocumentedMethods) await send({ operation, path: known, method });
    },
  }),
  refused({
    name: 'unacceptable_accept',
    title: `An unacceptable Accept (${unacceptableType}): ${NOT_ACCEPTABLE} or another 4xx`,
    proves: `\`Accept: ${unacceptableType}\` (a media type no response documents) gets ${NOT_ACCEPTABLE} or another 4xx.`,
    expected: NOT_ACCEPTABLE,
    probe: ({ send, known }) =>
      send({ operation: 'FetchServiceBinding', path: known, accept: unacceptableType }),
  }),
  {
    name: 'list_bindings',
    title: `The first page of bindings: ${LISTED}, ${listOp.successType}, a conforming body`,
    proves: `The first page of bindings answers ${LISTED}, ${listOp.successType}, a body that conforms to its schema.`,
    probe: ({ send, known }) => send({ operation: 'ListServiceBinding', path: known }),
    judge: (x) => answered(x, [LISTED]),
  },
  {
    name: 'list_pagination',
    title:
      'Following next_page_url ends: every page conforms with the page size asked, no binding twice, the known binding listed',
    proves:
      'Following `next_page_url` (up to --max-pages) ends: every page conforms, has the page size asked, stays on this list and never leads back to a page already fetched, no binding appears twice, and when the walk reaches the last page the known binding was listed.',
    probe: (probe) => walk(probe),
    begin: () => new WalkState(),
    judge: (x, state: WalkState, options) => [
      ...state.page(x, options),
      ...(x.status === LISTED && pageOf(x)?.meta?.page_size !== options.pageSize
        ? [
            finding(
              x,
              said`meta.page_size is ${asWritten(x, ['meta', 'page_size'], pageOf(x)?.meta?.page_size)}, but ${options.pageSize} was asked`,
            ),
          ]
        : []),
    ],
    conclude: (state: WalkState, options) => [...state.end(options), ...state.knownListed(options)],
  },
  {
    name: 'list_filters',
    title: "Filters are honoured: the known binding's type and identity each return only their bindings",
    proves:
      "Filtering by the known binding's type returns only bindings of that type, and by its identity only bindings of that identity; a filtered list that ends on its first page lists the known binding.",
    skipsWhen: 'when known_binding did not fetch the known binding',
    skip: filtersNothing,
    async probe({ send, known, facts, report, options }) {
      const binding = facts.knownBinding;
      if (!binding) throw new Skip('depends on known_binding, which did not fetch the known binding');
      let sent = 0;
      let reported = 0;
      for (const key of ['bindingType', 'identity'] as const) {
        const value = binding[key === 'bindingType' ? 'binding_type' : 'identity'];
        // A value the contract would refuse as a filter (a type outside the enum, a null identity) is no filter.
        const rule = parameterOf.ListServiceBinding[key];
        if (typeof value !== 'string' || !rule.validate([value])) continue;
        let encoded: string;
        try {
          encoded = encodeURIComponent(value);
        } catch {
          report({
            request: words('(no request)'),
            problem: said`the known binding's ${word(key)} ${value} cannot be sent as a filter: it is not well-formed UTF-16 (a lone surrogate)`,
          });
          reported++;
          continue;
        }
        sent++;
        await send({
          operation: 'ListServiceBinding',
          path: known,
          query: `${nameOf(key)}=${encoded}`,
          filter: { key, value, sid: options.bindingSid },
        });
      }
      // Nothing sent is nothing checked: never a pass (a finding above already fails the check).
      if (!sent && !reported)
        throw new Skip('the known binding has neither a binding_type nor an identity a filter can take');
    },
    judge(x) {
      if (x.status !== LISTED || !x.filter) return answered(x, [LISTED]);
      const { key, value } = x.filter;
      const field = key === 'bindingType' ? 'binding_type' : 'identity';
      const bindings = pageOf(x)?.bindings;
      // A 200 that is no page (empty, not JSON, no bindings array) shows nothing about the filter: a finding.
      if (!Array.isArray(bindings))
        return [finding(x, words('the answer is not a page whose bindings can be read'))];
      const fieldOf = (b: unknown, name: string) =>
        typeof b === 'object' && b !== null ? (b as Record<string, unknown>)[name] : undefined;
      // A number is quoted as the service wrote it, found by where it is in the page.
      const written = (i: number, name: string, shown: string | undefined) => {
        const v = fieldOf(bindings[i], name);
        return typeof v === 'number' ? asWritten(x, ['bindings', i, name], v) : shown;
      };
      const wrong = bindings.flatMap((b, i) =>
        fieldOf(b, field) === value
          ? []
          : [
              finding(
                x,
                said`binding ${written(i, 'sid', String(fieldOf(b, 'sid')))} has ${word(field)} ${written(i, field, JSON.stringify(fieldOf(b, field))) ?? 'none'}, but the list was filtered by ${word(key)}=${value}`,
              ),
            ],
      );
      // The known binding has that value: a last page (no next one) without it means the filter lost it.
      const last = !pageOf(x)?.meta?.next_page_url;
      const { sid } = x.filter;
      if (sid !== undefined && last && !bindings.some((b) => fieldOf(b, 'sid') === sid))
        wrong.push(
          finding(
            x,
            said`the known binding ${sid} has ${word(field)} ${value}, but the list filtered by it ends without it`,
          ),
        );
      return wrong;
    },
  },
  {
    name: 'negative_query_data',
    title: 'Invalid query parameters are rejected with a 4xx',
    proves:
      "Invalid query values generated from the contract's rules (below the minimum, above the maximum, a fraction, not a number, a value outside an enum) get a 4xx.",
    async probe({ send, known, random }) {
      for (const parameter of listOp.parameters.filter((p) => p.in === 'query'))
        for (const { kind, encoded } of invalidValues(parameter.name as ParameterName, random))
          await send({
            operation: 'ListServiceBinding',
            path: known,
            query: `${parameter.name}=${encoded}`,
            about: words(`${parameter.key} with a ${kind} value`),
          });
    },
    judge: rejectsInvalid,
  },
  {
    name: 'delete_binding',
    title: `Deleting the binding named by --delete-binding-sid: ${DELETED}, ${deleteOp.successType ?? 'no body'}`,
    proves: `With --delete-binding-sid: deleting it answers ${DELETED} with ${deleteOp.successType ?? 'no body'}.`,
    skip: destructive,
    probe: ({ send, known, options }) =>
      send({ operation: 'DeleteServiceBinding', path: deleting(known, options) }),
    judge: (x) => answered(x, [DELETED]),
  },
  {
    name: 'use_after_free',
    title: `The deleted binding is not served: ${NOT_FOUND}`,
    proves: `Then fetching it answers ${NOT_FOUND}: a deleted binding is not served.`,
    skip: anyOf(destructive, stateless),
    needs: 'delete_binding',
    probe: ({ send, known, options }) =>
      send({ operation: 'FetchServiceBinding', path: deleting(known, options) }),
    judge: (x) => answered(x, [NOT_FOUND], `${NOT_FOUND} for a binding that was deleted`),
  },
  {
    name: 'deleted_not_listed',
    title: 'The deleted binding leaves the list',
    proves: 'Then the list walk no longer holds it.',
    skip: anyOf(destructive, stateless),
    needs: 'delete_binding',
    probe: (probe) => walk(probe),
    begin: () => new WalkState(),
    judge: (x, state: WalkState, options) => [
      ...state.page(x, options),
      ...(pageOf(x)?.bindings?.some((b) => b.sid === options.deleteBindingSid)
        ? [finding(x, said`the deleted binding ${options.deleteBindingSid} is still listed`)]
        : []),
    ],
    conclude: (state: WalkState, options) => state.end(options),
  },
  {
    name: 'delete_twice',
    title: `Deleting it again: ${NOT_FOUND}`,
    proves: `Then deleting it again answers ${NOT_FOUND}.`,
    skip: anyOf(destructive, stateless),
    needs: 'delete_binding',
    probe: ({ send, known, options }) =>
      send({ operation: 'DeleteServiceBinding', path: deleting(known, options) }),
    judge: (x) => answered(x, [NOT_FOUND], `${NOT_FOUND} for a binding already deleted`),
  },
  fuzzRow('fuzz_list', 'ListServiceBinding'),
  fuzzRow('fuzz_fetch', 'FetchServiceBinding'),
  fuzzRow('fuzz_delete', 'DeleteServiceBinding', destructive),
];

/** A fuzz check: --fuzz N generated cases of one operation, the first failure shrunk to a minimal case. */
function fuzzRow(name: string, operation: OperationId, also?: Guard): Check {
  const fuzzing = guard('without --fuzz N', (options) =>
    options.fuzz ? undefined : 'runs only with --fuzz N',
  );
  return {
    name,
    title: `Generated ${operation} cases: valid ones get a documented answer that conforms, invalid ones a 4xx`,
    proves: `--fuzz N cases of ${operation} from the contract's arbitraries: a valid request gets ${operationFacts[operation].successStatus} or ${NOT_FOUND} with a conforming body${operationFacts[operation].parameters.some((p) => p.in === 'query') ? ' (only the bindings its filters allow, on pages of the size asked)' : ''}, never a 5xx; an invalid one (one rule broken) a 4xx with a conforming error body. A failure is shrunk to a minimal case, with a curl line and a command that replays it.`,
    skip: also ? anyOf(fuzzing, also) : fuzzing,
    probe: (probe) => fuzzOperation(name, operation, probe),
  };
}

/** A list query parameter's name in the contract, by its camel-cased key. */
const nameOf = (key: keyof typeof parameterOf.ListServiceBinding) => parameterOf.ListServiceBinding[key].name;
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
const pathOf = (target: string) => target.split('?')[0];

/** The most memory a walk of `verify` keeps to notice repeats (as the client's walk: bytes, not entries). */
export const MAX_VERIFY_WALK_MEMORY = 2 * 1024 * 1024;

/** Walks a list from its first page along next_page_url, up to --max-pages, never a page twice or off the list. */
async function walk({ send, known, options }: Probe): Promise<void> {
  let x = await send({
    operation: 'ListServiceBinding',
    path: known,
    query: `${nameOf('pageSize')}=${options.pageSize}`,
  });
  const seen = new Recent<true>(MAX_VERIFY_WALK_MEMORY / 4);
  seen.set(x.target, true);
  for (let pages = 1; pages < options.maxPages; pages++) {
    const target = targetOf(pageOf(x)?.meta?.next_page_url);
    if (!target || seen.has(target) || pathOf(target) !== pathOf(x.target)) return;
    seen.set(target, true);
    x = await send({ operation: 'ListServiceBinding', path: known, target });
  }
}

/** What a walk's pages say, judged page by page: each conforms, links within the list without a loop, lists no binding twice. */
class WalkState {
  private readonly fetched = new Recent<true>(MAX_VERIFY_WALK_MEMORY / 4);
  /** Each SID listed so far, with the number of the page that listed it first. */
  private readonly listed = new Recent<number>((MAX_VERIFY_WALK_MEMORY / 4) * 3);
  private pages = 0;
  private ended = false;
  private knownFound = false;
  private last?: Exchange['request'];

  page(x: Exchange, options: VerifyOptions): Finding[] {
    const found: Finding[] = answered(x, [LISTED]);
    this.pages++;
    this.fetched.set(x.target, true);
    this.last = x.request;
    const page = pageOf(x);
    const next = page?.meta?.next_page_url;
    this.ended = next === null;
    const target = next == null ? undefined : targetOf(next);
    if (next != null && (!target || pathOf(target) !== pathOf(x.target)))
      found.push(finding(x, said`meta.next_page_url ${JSON.stringify(next)} is not a page of this list`));
    else if (target && this.fetched.has(target))
      found.push(
        finding(
          x,
          said`meta.next_page_url leads back to a page already fetched (${target}): the walk would loop`,
        ),
      );
    const here = new Set<unknown>();
    for (const b of page?.bindings ?? []) {
      const sid = typeof b?.sid === 'string' ? b.sid : undefined;
      if (sid === options.bindingSid) this.knownFound = true;
      if (sid === undefined) continue;
      const first = this.listed.get(sid);
      if (first !== undefined || here.has(sid))
        found.push(
          finding(x, said`binding ${sid} is listed twice (first on page ${first ?? this.pages} of the walk)`),
        );
      else this.listed.set(sid, this.pages);
      here.add(sid);
    }
    return found;
  }

  /** Past --max-pages, the walk went on without end. */
  end(options: VerifyOptions): Finding[] {
    return this.pages > options.maxPages
      ? [{ request: words('(walk)'), problem: words('the walk went past --max-pages') }]
      : [];
  }

  /** When the walk reached the last page, the known binding must be among the pages. */
  knownListed(options: VerifyOptions): Finding[] {
    return this.ended && !this.knownFound && this.last
      ? [
          {
            request: this.last,
            problem: said`the walk ended without listing the known binding ${options.bindingSid}`,
          },
        ]
      : [];
  }
}
