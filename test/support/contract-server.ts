// A re-implementation of the operation that keeps the contract, for testing `verify`; each `fault`
// breaks exactly one promise, the way a real deployment might.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathParameters } from '../../generated/contract.js';
import { basicAuthorization } from '../../src/client/basic-auth.ts';
import { bindingExample, errorExample, exampleSids, headerExamples } from './contract.ts';

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
  username: 'ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  password: 'contract-server-secret',
};

const corsHeaders = headerExamples('200');

export interface ContractServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startContractServer(fault: Fault = 'none'): Promise<ContractServer> {
  const requests: string[] = [];
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string) =>
    send(res, status, { message, status });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const match = /^\/v1\/Services\/([^/]*)\/Bindings\/([^/]*)$/.exec(req.url ?? '');
    if (!match) return send(res, 404, errorExample('404'));
    if (req.method !== 'GET') return error(res, 405, `Method ${req.method} not allowed`);
    const authorized =
      req.headers.authorization ===
      basicAuthorization(serverCredentials.username, serverCredentials.password);
    if (!authorized && fault !== 'auth ignored') {
      return send(res, 401, errorExample('401'), { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
    }
    const accept = req.headers.accept ?? '*/*';
    if (!/application\/json|\*\/\*/.test(accept)) return error(res, 406, `Cannot produce ${accept}`);
    const [chatServiceSid, sid] = [match[1], match[2]].map((s) => decodeURIComponent(s ?? ''));
    const valid = pathParameters.chatServiceSid.validate(chatServiceSid) && pathParameters.sid.validate(sid);
    if (!valid) {
      if (fault === '500 on a bad SID') return error(res, 500, 'Internal error');
      if (fault === '200 on a bad SID') return send(res, 200, bindingExample, corsHeaders);
      return error(res, 400, 'Invalid SID');
    }
    const known = chatServiceSid === exampleSids.chatServiceSid && sid === exampleSids.sid;
    if (!known && fault !== '200 for an unknown binding') {
      if (fault === 'non-conforming 404 body') return send(res, 404, { error: 'not found' });
      if (fault === 'error body status mismatch')
        return send(res, 404, { ...errorExample('404'), status: 400 });
      return send(res, 404, errorExample('404'));
    }
    const body = {
      ...bindingExample,
      ...(fault === 'malformed date' && { date_created: '21/10/2016 11:37' }),
      ...(fault === 'unknown enum value' && { binding_type: 'twilsock' }),
    };
    const headers = { ...corsHeaders };
    if (fault === 'missing documented header') delete headers['Access-Control-Allow-Origin'];
    if (fault === 'wrong content type') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' });
      return res.end(JSON.stringify(body));
    }
    send(res, fault === 'undocumented status' ? 203 : 200, body, headers);
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
