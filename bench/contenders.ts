// The ways to fetch one binding that the benchmarks compare, all pointed at the same local target.
import http from 'node:http';
import { createBindingsClient } from 'conversations-bindings-contract';
import type { paths } from 'conversations-bindings-contract/types';
import createClient from 'openapi-fetch';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { basicAuthorization } from '../src/client/basic-auth.ts';
import { CREDENTIALS, examplePath, FETCH_PATH, SIDS, server } from './contract.ts';

type RequestOptions<T> = RequestClient.RequestOptions<T>;

const AUTH = basicAuthorization(CREDENTIALS.username, CREDENTIALS.password);

export type FetchOne = () => Promise<unknown>;

/** twilio-node's own extension point, not a patch: a RequestClient that sends to the local target. */
export function localRequestClient(baseUrl: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  class LocalRequestClient extends twilio.RequestClient {
    override request<TData>(opts: RequestOptions<TData>) {
      return super.request<TData>({
        ...opts,
        uri: String(opts.uri).replace(server, baseUrl),
      });
    }
  }
  const client = new LocalRequestClient({ keepAlive: true });
  client.axios.defaults.httpAgent = agent;
  return client;
}

export function contenders(baseUrl: string, fetchImpl: typeof fetch = fetch): Record<string, FetchOne> {
  const ours = createBindingsClient({ ...CREDENTIALS, baseUrl, fetch: fetchImpl, retry: false });
  const oursNoValidation = createBindingsClient({
    ...CREDENTIALS,
    baseUrl,
    fetch: fetchImpl,
    retry: false,
    validateResponse: false,
  });
  const raw = createClient<paths>({
    baseUrl,
    fetch: fetchImpl,
    headers: { Authorization: AUTH },
  });
  const sdk = twilio(CREDENTIALS.username, CREDENTIALS.password, { httpClient: localRequestClient(baseUrl) });
  const url = `${baseUrl}${examplePath}`;
  return {
    'bare fetch + res.json()': async () =>
      (await fetchImpl(url, { headers: { Authorization: AUTH } })).json(),
    // What fetchBinding pays for its per-attempt timeout, measured on its own.
    'bare fetch + a timeout signal': async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        return await (
          await fetchImpl(url, { headers: { Authorization: AUTH }, signal: controller.signal })
        ).json();
      } finally {
        clearTimeout(timer);
      }
    },
    'fetchBinding (validation on)': () => ours.fetchBinding(SIDS),
    'fetchBinding (validation off)': () => oursNoValidation.fetchBinding(SIDS),
    'openapi-fetch alone': async () =>
      (
        await raw.GET(FETCH_PATH, {
          params: { path: { ChatServiceSid: SIDS.chatServiceSid, Sid: SIDS.sid } },
        })
      ).data,
    'twilio-node 6': () => sdk.conversations.v1.services(SIDS.chatServiceSid).bindings(SIDS.sid).fetch(),
  };
}
