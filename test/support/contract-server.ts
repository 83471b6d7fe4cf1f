// A re-implementation of the operation that keeps the contract, for testing `verify`; each `fault`
// breaks exactly one promise, the way a real deployment might.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operationFacts } from '../../generated/contract.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import {
  bindingExample,
  bindingTypes,
  documentedHeaders,
  errorBody,
  errorExample,
  exampleSids,
  jsonType,
  matchPath,
  statusOf,
  valueNotIn,
  withFields,
} from './contract.ts';

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
] as const;
export type Fault = (typeof faults)[number] | 'none';

export const serverCredentials = {
  username: 'contract-server-user',
  password: 'contract-server-secret',
};

const fetchOp = operationFacts.FetchServiceBinding;
const [okStatus = ''] = Object.keys(fetchOp.success);
const ok = Number(okStatus);
/** A success status the contract does not document for fetching. */
const undocumentedOk = Array.from({ length: 100 }, (_, i) => 200 + i).find(
  (s) => !(s in fetchOp.success),
) as number;
const corsHeaders = documentedHeaders('FetchServiceBinding', okStatus);

export interface ContractServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startContractServer(fault: Fault = 'none'): Promise<ContractServer> {
  const requests: string[] = [];
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': jsonType, ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string) =>
    send(res, status, { ...errorBody(status), message });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const found = statusOf('NotFound');
    const values = matchPath(fetchOp.path, req.url ?? '');
    if (!values) return send(res, found, errorExample('NotFound'));
    if (req.method !== fetchOp.method) return error(res, 405, `Method ${req.method} not allowed`);
    const authorized =
      req.headers.authorization ===
      basicAuthorization(serverCredentials.username, serverCredentials.password);
    if (!authorized && fault !== 'auth ignored') {
      return send(res, statusOf('Unauthorized'), errorExample('Unauthorized'), {
        'WWW-Authenticate': 'Basic realm="Twilio API"',
      });
    }
    const accept = req.headers.accept ?? '*/*';
    if (!accept.includes(jsonType) && !accept.includes('*/*'))
      return error(res, 406, `Cannot produce ${accept}`);
    const valid = fetchOp.parameters.every((p) => p.validate(values[p.name]));
    if (!valid) {
      if (fault === '500 on a bad SID') return error(res, 500, 'Internal error');
      if (fault === '200 on a bad SID') return send(res, ok, bindingExample, corsHeaders);
      return error(res, 400, 'Invalid SID');
    }
    const known = fetchOp.parameters.every((p) => values[p.name] === exampleSids[p.key]);
    if (!known && fault !== '200 for an unknown binding') {
      // A JSON array is never the object an error body must be.
      if (fault === 'non-conforming 404 body') return send(res, found, ['not', 'found']);
      if (fault === 'error body status mismatch')
        return send(res, found, { ...errorExample('NotFound'), status: found + 1 });
      return send(res, found, errorExample('NotFound'));
    }
    const body = withFields({
      ...(fault === 'malformed date' && { date_created: '21/10/2016 11:37' }),
      ...(fault === 'unknown enum value' && { binding_type: valueNotIn(bindingTypes) }),
    });
    const headers = { ...corsHeaders };
    if (fault === 'missing documented header') delete headers[Object.keys(headers)[0] as string];
    if (fault === 'wrong content type') {
      res.writeHead(ok, { ...headers, 'content-type': 'text/html' });
      return res.end(JSON.stringify(body));
    }
    send(res, fault === 'undocumented status' ? undocumentedOk : ok, body, headers);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
