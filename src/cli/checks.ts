// The contract check's checks, one row each: a name, a title, when it applies, the requests it
// sends, and the evidence it draws from the answers. The report follows this table's order; adding a
// check is adding a row. Expected statuses and media types come from the contract's documented responses.
import { operationFacts, responses, statusOfResponse } from '../../generated/contract.js';
import type { Validator } from '../../generated/validators.js';
import { violationsFrom } from '../client/response.js';
import type { OperationId } from '../client/types.js';
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

export const MOCK_SKIP = 'the embedded mock is stateless and accepts any well-formed credentials';
const onMock = (options: VerifyOptions) => (options.mock ? MOCK_SKIP : undefined);

/** HTTP's own answers (RFC 9110) that the contract leaves to `default`: what the checks accept for them. */
const FORBIDDEN = 403;
const METHOD_NOT_ALLOWED = 405;
const NOT_ACCEPTABLE = 406;

type Media = Record<string, { validate: Validator }>;
type Documented = Record<string, { content: Media; headers: readonly string[] }>;
const documented = (operation: OperationId) => responses[operation] as unknown as Documented;
const fetchOp = operationFacts.FetchServiceBinding;
/** The status the contract documents for fetching a binding, and the one for each named error. */
const [foundStatus = '', foundTypes = {}] = Object.entries(fetchOp.success)[0] ?? [];
const FOUND = Number(foundStatus);
const UNAUTHORIZED = Number(statusOfResponse.Unauthorized);
const NOT_FOUND = Number(statusOfResponse.NotFound);

/** A method no operation documents on the fetch path: the first of these that is not. */
const undocumentedMethod = ['PUT', 'DELETE', 'PATCH', 'POST'].find(
  (method) => !Object.values(operationFacts).some((op) => op.path === fetchOp.path && op.method === method),
) as string;
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
  const byStatus = documented(x.operation);
  const byNumber = byStatus[String(x.status)];
  // `default` stands for the errors the contract does not list: a success or a redirect must be listed.
  const response = byNumber ?? (x.status >= 400 ? byStatus.default : undefined);
  if (!response) return [problem(x, `status ${x.status} is not documented for this operation`)];
  const types = Object.keys(response.content);
  if (!types.length) return [];
  const spec = response.content[x.contentType];
  if (!spec)
    return [
      problem(
        x,
        `content type "${x.contentType}" is not documented for ${x.status} (expected ${types.join(', ')})`,
      ),
    ];
  const evidence: Evidence[] = [];
  if (!spec.validate(x.body)) {
    for (const v of violationsFrom(spec.validate.errors ?? [], x.body))
      evidence.push(problem(x, `body ${v.path}: ${v.message}`));
  }
  // An error body's `status` must repeat the HTTP status it answers (TwilioError and Problem both carry one).
  const bodyStatus = (x.body as { status?: unknown } | undefined)?.status;
  if (byNumber && x.status >= 400 && typeof bodyStatus === 'number' && bodyStatus !== x.status) {
    evidence.push(problem(x, `body status ${bodyStatus} does not match the HTTP status ${x.status}`));
  }
  return evidence;
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
    title: `The known binding: ${FOUND}, ${Object.keys(foundTypes)}, a conforming body, the documented headers`,
    probe: ({ send, known }) => send({ operation: 'FetchServiceBinding', path: known }),
    evidence: (exchanges) =>
      each(exchanges, (x) => {
        if (x.status !== FOUND) return [problem(x, `expected ${FOUND}, got ${got(x)}`)];
        const headers = documented(x.operation)[String(FOUND)]?.headers ?? [];
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
    title: `An undocumented method (${undocumentedMethod}): ${METHOD_NOT_ALLOWED} or another 4xx`,
    probe: ({ send, known }) =>
      send({ operation: 'FetchServiceBinding', path: known, method: undocumentedMethod }),
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
];
