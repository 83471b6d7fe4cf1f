// A service for testing `verify`: the stateful fake, faithful to the contract, or broken on purpose by one
// `fault` at a time, the way a real deployment might break it. Served in process (test/support/in-process.ts):
// verify is given `inProcessFetch`.
import { operationFacts } from '../../generated/contract.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import {
  bindingExample,
  bindingTypes,
  documentedHeaders,
  errorBody,
  jsonType,
  keepsRule,
  matchPath,
  statusOf,
  valueNotIn,
  withFields,
} from './contract.ts';
import { inProcess } from './in-process.ts';

export const faults = [
  'missing documented header',
  'wrong content type',
  'malformed date',
  'unknown enum value',
  '500 on a bad SID',
  '200 on a bad SID',
  'auth ignored',
  'non-conforming 404 body',
  '200 for an unknown binding',
  'undocumented status',
  'error body status mismatch',
  'list page field type',
  'next_page_url loop',
  'filter ignored',
  'page_size mismatch',
  'delete answers 200 with a body',
  'deleted binding still served',
] as const;
export type Fault = (typeof faults)[number] | 'none';

// A secret as random as a real one: a low-entropy password's 4-character pieces match ordinary words, which redaction masks.
export const serverCredentials = { username: 'contract-server-user', password: 'q8Zt3Vn6Jx1Wp4Rk7Hm2' };

/** The known binding (the contract's example), one `verify` may delete, and one of another type and user. */
export const deletableSid = bindingFor({}).sid as string;
const fixtures = () => [
  bindingExample,
  bindingFor({ sid: deletableSid }),
  bindingFor({
    binding_type: bindingTypes.find((t) => t !== bindingExample.binding_type) as never,
    identity: 'Another',
  }),
];

export interface ContractServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

const {
  FetchServiceBinding: fetchOp,
  ListServiceBinding: listOp,
  DeleteServiceBinding: deleteOp,
} = operationFacts;
const ok = fetchOp.successStatus;
/** A success status the contract does not document for fetching. */
const undocumentedOk = Array.from({ length: 100 }, (_, i) => ok + i).find(
  (s) => !(s in fetchOp.success),
) as number;

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': jsonType, ...headers } });

/** The answer with its JSON body changed. */
async function rewrite(
  response: Response,
  change: (body: Record<string, unknown>) => unknown,
): Promise<Response> {
  const body = await response.json();
  return answer(response.status, change(body), Object.fromEntries(response.headers));
}

export async function startContractServer(fault: Fault = 'none'): Promise<ContractServer> {
  const fake = createBindingsFake({ bindings: fixtures(), credentials: serverCredentials });
  const valid = basicAuthorization(serverCredentials.username, serverCredentials.password);
  const requests: string[] = [];

  async function handle(original: Request): Promise<Response> {
    const url = new URL(original.url);
    requests.push(`${original.method} ${url.pathname}${url.search}`);
    const item = matchPath(fetchOp.path, url.pathname);
    const onList = matchPath(listOp.path, url.pathname) !== undefined;
    const malformed =
      item && !(keepsRule('ChatServiceSid', item.ChatServiceSid) && keepsRule('Sid', item.Sid));
    let request = original;
    if (fault === 'auth ignored') {
      const headers = new Headers(request.headers);
      headers.set('authorization', valid);
      request = new Request(request, { headers });
    }
    if (malformed && fault === '500 on a bad SID') return answer(500, errorBody(500));
    if (malformed && fault === '200 on a bad SID')
      return answer(ok, bindingExample, documentedHeaders('FetchServiceBinding', String(ok)));
    if (onList && fault === 'filter ignored') {
      for (const p of listOp.parameters)
        if (p.key === 'bindingType' || p.key === 'identity') url.searchParams.delete(p.name);
      request = new Request(url, request);
    }
    if (request.method === deleteOp.method && item) {
      if (fault === 'delete answers 200 with a body') return answer(ok, bindingExample);
      if (fault === 'deleted binding still served') {
        const exists = fake.bindings.some((b) => b.sid === item.Sid);
        if (exists) return new Response(null, { status: deleteOp.successStatus });
      }
    }
    const response = await fake.handle(request);
    const isFetch = request.method === fetchOp.method && item !== undefined;
    return breakAnswer(response, isFetch, onList && request.method === listOp.method, Boolean(malformed));
  }

  async function breakAnswer(
    response: Response,
    isFetch: boolean,
    isList: boolean,
    malformed: boolean,
  ): Promise<Response> {
    if (isFetch && response.status === ok) {
      const headers = Object.fromEntries(response.headers);
      if (fault === 'missing documented header')
        delete headers[Object.keys(headers).find((h) => h !== 'content-type') as string];
      if (fault === 'wrong content type') headers['content-type'] = 'text/html';
      const body = await response.json();
      const broken = withFields({
        ...body,
        ...(fault === 'malformed date' && { date_created: '21/10/2016 11:37' }),
        ...(fault === 'unknown enum value' && { binding_type: valueNotIn(bindingTypes) }),
      });
      return new Response(JSON.stringify(broken), {
        status: fault === 'undocumented status' ? undocumentedOk : ok,
        headers,
      });
    }
    if (isFetch && response.status === statusOf('NotFound')) {
      if (fault === '200 for an unknown binding' && !malformed)
        return answer(ok, bindingExample, documentedHeaders('FetchServiceBinding', String(ok)));
      // A JSON array is never the object an error body must be.
      if (fault === 'non-conforming 404 body') return answer(response.status, ['not', 'found']);
      if (fault === 'error body status mismatch')
        return rewrite(response, (b) => ({ ...b, status: response.status + 1 }));
    }
    if (isList && response.status === ok) {
      const meta = (b: Record<string, unknown>) => b.meta as Record<string, unknown>;
      if (fault === 'list page field type')
        return rewrite(response, (b) => ({ ...b, meta: { ...meta(b), page: String(meta(b).page) } }));
      if (fault === 'next_page_url loop')
        return rewrite(response, (b) => ({ ...b, meta: { ...meta(b), next_page_url: meta(b).url } }));
      if (fault === 'page_size mismatch')
        return rewrite(response, (b) => ({
          ...b,
          meta: { ...meta(b), page_size: Number(meta(b).page_size) + 1 },
        }));
    }
    return response;
  }

  const server = inProcess(fake, handle);
  return { url: server.url, requests, close: () => server.close() };
}
