// createBindingsClient: a typed method per operation of the contract (./methods.ts) that validates, times
// out, retries and reports failures by the contract, plus the typed openapi-fetch client with auth applied.
import type { Client, Middleware } from 'openapi-fetch';
import { operationFacts, packageName, packageVersion } from '../../generated/contract.js';
import { loadAnswers } from './answers-loader.js';
import { basicAuthorization } from './basic-auth.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './body.js';
import { DEFAULT_MAX_PAGES } from './listing.js';
import type { OperationMethods } from './method-types.js';
import { operationMethods } from './methods.js';
import { type BindingsClientOptions, checkOptions, DEFAULT_TIMEOUT_MS } from './options.js';
import { secretRedactor } from './redact.js';
import { attempt, isSuccess, type RequestConfig, requester } from './request.js';
import { retryPolicy } from './retry.js';
import type { paths } from './types.js';

export type { FetchBindingOptions } from './method-types.js';

/**
 * The client: a method per operation of the contract, named by the registry's rule (`fetchBinding`,
 * `listBindings`, `fetchBindingsPage`, `deleteBinding`…), typed by the contract, and `raw`.
 */
export interface BindingsClient extends OperationMethods {
  /** The openapi-fetch client typed by the contract, with auth applied, loaded on its first call. */
  raw: RawClient;
}

/**
 * openapi-fetch's client, typed by the contract, as `raw` gives it: loaded on its first call, so `use` and
 * `eject` return promises (await them before relying on the middleware), as every request does.
 */
export type RawClient = Omit<Client<paths>, 'use' | 'eject'> & {
  use(...middleware: Middleware[]): Promise<void>;
  eject(...middleware: Middleware[]): Promise<void>;
};

const METHODS = [
  'GET',
  'PUT',
  'POST',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'PATCH',
  'TRACE',
  'request',
  'use',
  'eject',
] as const;

/**
 * The raw client, made by `load` (./raw.js, with openapi-fetch) when it is first called. `use` and
 * `eject` wait for it like the requests do, in call order: middleware added first is in place first.
 */
function lazyRaw(load: () => Promise<Client<paths>>): RawClient {
  let loaded: Promise<Client<paths>> | undefined;
  const raw: Record<string, unknown> = {};
  for (const method of METHODS)
    raw[method] = (...args: unknown[]) => {
      loaded ??= load();
      return loaded.then((c) => (c[method] as (...a: unknown[]) => unknown)(...args));
    };
  return raw as unknown as RawClient;
}

/**
 * What a 2xx may carry through raw: the contract's successes that have a body (raw checks a 2xx body's
 * JSON, not its schema: by their media types alone, no validator is loaded).
 */
const rawSuccess = () =>
  Object.fromEntries(
    Object.values(operationFacts).flatMap((op) =>
      Object.entries(op.success as Record<string, Record<string, string>>).filter(
        ([, media]) => Object.keys(media).length,
      ),
    ),
  );

/** raw, loaded with openapi-fetch on its first call, sharing the typed methods' attempt and answers. */
const rawOf = (baseUrl: string, config: RequestConfig) =>
  lazyRaw(() =>
    import('./raw.js').then(({ createRaw }) =>
      createRaw(baseUrl, config, {
        attempt,
        isSuccess,
        answers: loadAnswers,
        success: rawSuccess(),
      }),
    ),
  );

/** Browsers refuse or drop a custom User-Agent, and sending one would need a CORS preflight allowance. */
const isBrowser = () => String(globalThis.navigator?.userAgent).startsWith('Mozilla/');

export function createBindingsClient(options: BindingsClientOptions): BindingsClient {
  const baseUrl = checkOptions(options);
  const { username, password, fetch: customFetch } = options;
  const authorization = basicAuthorization(username, password);
  // Every form the credential is sent in: the password and the header's base64 token (the username is no
  // secret; nor is the header's "Basic " scheme, which would mask the word "basic" in any message).
  const redact = secretRedactor([password, authorization.slice('Basic '.length)]);
  const headers: Record<string, string> = { Authorization: authorization };
  if (!isBrowser())
    headers['User-Agent'] = [`${packageName}/${packageVersion}`, options.userAgent].filter(Boolean).join(' ');
  // Read at call time, so a fetch patched after the client was made (a test, a polyfill) is used.
  const fetchNow: typeof fetch = (input, init) => (customFetch ?? globalThis.fetch)(input, init);
  const config: RequestConfig = {
    fetch: fetchNow,
    headers,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    policy: retryPolicy(options.retry),
    validate: options.validateResponse ?? true,
    onViolation: options.onViolation,
    redact,
  };
  const request = requester(config);
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  return { ...operationMethods({ request, baseUrl, redact, maxPages }), raw: rawOf(baseUrl, config) };
}
