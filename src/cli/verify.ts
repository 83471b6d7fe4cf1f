// The contract check: sends the operation's known-good, negative and unauthenticated requests to a
// service and reports, check by check, where its answers break the contract.
import { operation, pathParameters, responseHeaders, responses } from '../../generated/contract.js';
import type { Validator } from '../../generated/validators.js';
import { basicAuthorization } from '../client/basic-auth.js';
import { secretRedactor } from '../client/redact.js';
import { excerpt, violationsFrom } from '../client/response.js';
import { invalidValues, type ParameterName, seededRandom, validValue } from './seeded.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface Evidence {
  /** The request as sent, credentials never shown: `GET /v1/… (no credentials)`. */
  request: string;
  status?: number;
  /** What broke. */
  problem: string;
}

export interface CheckResult {
  name: string;
  title: string;
  status: CheckStatus;
  reason?: string;
  requests: number;
  evidence: Evidence[];
}

export interface Report {
  tool: string;
  baseUrl: string;
  /** Whether the target was the embedded Prism mock. */
  mock: boolean;
  seed: number;
  checks: CheckResult[];
  summary: { passed: number; failed: number; skipped: number };
}

export interface VerifyOptions {
  baseUrl: string;
  username: string;
  password: string;
  chatServiceSid: string;
  bindingSid: string;
  seed: number;
  timeoutMs: number;
  /** The embedded mock: stateless, accepts any well-formed credentials, so some checks cannot apply. */
  mock: boolean;
}

export interface Exchange {
  check: string;
  request: string;
  status?: number;
  contentType: string;
  headers: Headers;
  body: unknown;
  error?: string;
}

type Credentials = 'valid' | 'none' | 'wrong';
type Media = Record<string, { validate: Validator }>;
const documented = responses as unknown as Record<string, Media>;
const headerNames = responseHeaders as unknown as Record<string, string[]>;

export const MOCK_SKIP = 'the embedded mock is stateless and accepts any well-formed credentials';

export async function verify(options: VerifyOptions): Promise<Report> {
  const random = seededRandom(options.seed);
  const exchanges: Exchange[] = [];
  const redact = secretRedactor([options.password, basicAuthorization(options.username, options.password)]);
  const wrongPassword = `wrong-${Math.floor(random() * 1e9).toString(36)}`;

  async function send(
    check: string,
    segments: Record<ParameterName, string>,
    init: { method?: string; accept?: string; credentials?: Credentials } = {},
  ) {
    const { method = operation.method, accept = 'application/json', credentials = 'valid' } = init;
    const path = operation.path
      .replace(`{${pathParameters.chatServiceSid.name}}`, segments.chatServiceSid)
      .replace(`{${pathParameters.sid.name}}`, segments.sid);
    const headers: Record<string, string> = { Accept: accept };
    if (credentials !== 'none') {
      headers.Authorization = basicAuthorization(
        options.username,
        credentials === 'wrong' ? wrongPassword : options.password,
      );
    }
    const label = { valid: '', none: ' (no credentials)', wrong: ' (wrong credentials)' }[credentials];
    const request = `${method} ${path}${accept === 'application/json' ? '' : ` (Accept: ${accept})`}${label}`;
    const exchange: Exchange = { check, request, contentType: '', headers: new Headers(), body: undefined };
    try {
      const url = `${options.baseUrl.replace(/\/+$/, '')}${path}`;
      const response = await fetch(url, {
        method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      exchange.status = response.status;
      exchange.headers = response.headers;
      exchange.contentType =
        (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      try {
        exchange.body = text ? JSON.parse(text) : undefined;
      } catch {
        exchange.body = excerpt(text);
      }
    } catch (error) {
      exchange.error = `no response: ${redact(String((error as Error)?.message ?? error))}`;
    }
    exchanges.push(exchange);
    return exchange;
  }

  const known = {
    chatServiceSid: encodeURIComponent(options.chatServiceSid),
    sid: encodeURIComponent(options.bindingSid),
  };
  const results: CheckResult[] = [];
  const check = async (name: string, title: string, run: () => Promise<Evidence[]>, skip?: string) => {
    if (skip) return results.push({ name, title, status: 'skip', reason: skip, requests: 0, evidence: [] });
    const before = exchanges.length;
    const evidence = await run();
    results.push({
      name,
      title,
      status: evidence.length ? 'fail' : 'pass',
      requests: exchanges.length - before,
      evidence,
    });
  };

  await check(
    'known_binding',
    'The known binding: 200, JSON, a conforming body, the documented headers',
    async () => {
      const x = await send('known_binding', known);
      if (x.error || x.status !== 200) return [problem(x, `expected 200, got ${x.error ?? x.status}`)];
      return [
        ...conformance(x),
        ...(headerNames['200'] ?? [])
          .filter((h) => !x.headers.has(h))
          .map((h) => problem(x, `documented header ${h} is missing`)),
      ];
    },
  );
  const serverErrorsAt = results.length;
  await check('negative_data', 'Invalid path parameters are rejected with a 4xx', async () => {
    const evidence: Evidence[] = [];
    for (const name of Object.keys(pathParameters) as ParameterName[]) {
      for (const { kind, segment } of invalidValues(name, random)) {
        const x = await send('negative_data', { ...known, [name]: segment });
        const status = x.status ?? 0;
        if (x.error || status < 400 || status > 499) {
          evidence.push(
            problem(x, `${name} with a ${kind} value should get a 4xx, got ${x.error ?? status}`),
          );
        }
      }
    }
    return evidence;
  });
  await check('auth_no_credentials', 'No credentials: 401 with a conforming error body', async () => {
    const x = await send('auth_no_credentials', known, { credentials: 'none' });
    return x.status === 401 ? conformance(x) : [problem(x, `expected 401, got ${x.error ?? x.status}`)];
  });
  await check(
    'auth_wrong_credentials',
    'Wrong credentials: 401 or 403 with a conforming error body',
    async () => {
      const x = await send('auth_wrong_credentials', known, { credentials: 'wrong' });
      return x.status === 401 || x.status === 403
        ? conformance(x)
        : [problem(x, `expected 401 or 403, got ${x.error ?? x.status}`)];
    },
    options.mock ? MOCK_SKIP : undefined,
  );
  await check(
    'unknown_binding',
    'An unknown binding: 404 with a conforming error body',
    async () => {
      const x = await send('unknown_binding', { ...known, sid: validValue('sid', random) });
      return x.status === 404
        ? conformance(x)
        : [problem(x, `expected 404 for a binding that does not exist, got ${x.error ?? x.status}`)];
    },
    options.mock ? MOCK_SKIP : undefined,
  );
  await check('undocumented_method', 'An undocumented method (PUT): 405 or another 4xx', async () => {
    const x = await send('undocumented_method', known, { method: 'PUT' });
    return is4xx(x) ? [] : [problem(x, `expected 405 or another 4xx, got ${x.error ?? x.status}`)];
  });
  await check(
    'unacceptable_accept',
    'An unacceptable Accept (application/xml): 406 or another 4xx',
    async () => {
      const x = await send('unacceptable_accept', known, { accept: 'application/xml' });
      return is4xx(x) ? [] : [problem(x, `expected 406 or another 4xx, got ${x.error ?? x.status}`)];
    },
  );
  // The two checks over every exchange of the run.
  const serverErrors: CheckResult = {
    name: 'not_a_server_error',
    title: 'No request gets a 5xx',
    requests: exchanges.length,
    evidence: exchanges
      .filter((x) => (x.status ?? 0) >= 500)
      .map((x) => problem(x, `server error ${x.status} (during ${x.check})`)),
    status: 'pass',
  };
  results.splice(serverErrorsAt, 0, {
    ...serverErrors,
    status: serverErrors.evidence.length ? 'fail' : 'pass',
  });
  const statusEvidence = exchanges
    .filter((x) => x.status !== undefined)
    .flatMap((x) => conformance(x).map((e) => ({ ...e, problem: `${e.problem} (during ${x.check})` })));
  results.splice(results.length - 2, 0, {
    name: 'status_conformance',
    title: 'Every status, content type and body received is documented and conforms',
    status: statusEvidence.length ? 'fail' : 'pass',
    requests: exchanges.length,
    evidence: statusEvidence,
  });

  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  return {
    tool: 'bindings-contract verify',
    baseUrl: options.baseUrl,
    mock: options.mock,
    seed: options.seed,
    checks: results.map((r) => ({
      ...r,
      evidence: r.evidence.map((e) => ({ ...e, problem: redact(e.problem), request: redact(e.request) })),
    })),
    summary: { passed: count('pass'), failed: count('fail'), skipped: count('skip') },
  };
}

const is4xx = (x: Exchange) => (x.status ?? 0) >= 400 && (x.status ?? 0) <= 499;

function problem(x: Exchange, text: string): Evidence {
  return { request: x.request, ...(x.status !== undefined && { status: x.status }), problem: text };
}

/** Where an answer breaks what the contract documents for its status: status, content type, body. */
export function conformance(x: Exchange): Evidence[] {
  if (x.status === undefined) return [];
  const byNumber = documented[String(x.status)];
  // `default` stands for the errors the contract does not list: a success or a redirect must be listed.
  const media = byNumber ?? (x.status >= 400 ? documented.default : undefined);
  if (!media) return [problem(x, `status ${x.status} is not documented for this operation`)];
  const types = Object.keys(media);
  if (!types.length) return [];
  const spec = media[x.contentType];
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
  const bodyStatus = (x.body as { status?: unknown } | undefined)?.status;
  if (byNumber && x.status >= 400 && typeof bodyStatus === 'number' && bodyStatus !== x.status) {
    evidence.push(problem(x, `body status ${bodyStatus} does not match the HTTP status ${x.status}`));
  }
  return evidence;
}
