// client.raw's implementation: the openapi-fetch client typed by the contract, over a fetch bounded and
// redacted like the typed methods. Loaded with openapi-fetch on raw's first call (a bundler splits both
// out): the typed operations never need it, and most programs never call raw.
import createClient, { type Client } from 'openapi-fetch';
import type { Answers } from './answers/index.js';
import type { SuccessNames } from './answers/success.js';
import type { attempt, isSuccess, RequestConfig } from './request.js';
import type { paths } from './types.js';

/**
 * What raw shares with the typed methods, handed over by the client rather than imported: an import
 * would make a bundler move the shared code into a third chunk, loaded at once and compressed apart.
 */
export interface RawTools {
  attempt: typeof attempt;
  isSuccess: typeof isSuccess;
  /** What the client makes of an answer (./answers/), loaded once. */
  answers: () => Promise<Answers>;
  /** What a 2xx may carry (the fetch operation's success: JSON). */
  success: SuccessNames;
}

/**
 * raw's fetch, bounded like an attempt of the typed methods: the caller's signal (an aborted one sends
 * nothing), the timeout (even for a fetch that ignores its signal), maxResponseBytes; a redirect is
 * returned, not followed. A 2xx body is held to the package's JSON rules (depth, no `__proto__` key) and
 * handed on re-serialised; an error body is redacted, as openapi-fetch hands it back as `error` (JSON
 * value by value: a cut secret hides in one); what fails is thrown as the package's errors.
 */
export function rawFetcher(config: RequestConfig, tools: RawTools): (request: Request) => Promise<Response> {
  const { redact, timeoutMs } = config;
  return async (request) => {
    const send = (signal: AbortSignal) => config.fetch(new Request(request, { signal, redirect: 'manual' }));
    const answers = await tools.answers();
    const result = await tools.attempt(send, config, request.signal);
    if (!('answered' in result))
      throw answers.unanswered(result, { attempts: 1, maxAttempts: 1, timeoutMs, redact });
    const { answered, body, response } = result;
    let text = body.text;
    if (tools.isSuccess(answered.status)) {
      if (text || body.truncated || body.charset) {
        const success = answers.successFacts(tools.success, {});
        const read = { success, answered, read: body, attempts: 1, validate: false, redact };
        text = JSON.stringify(answers.successBody(read));
      }
    } else if (body.truncated) throw answers.apiErrorFromResponse(answered, body, 1, redact);
    else {
      const parsed = answers.parseJson(text);
      text = 'value' in parsed ? JSON.stringify(answers.redactBody(parsed.value, redact)) : redact(text);
    }
    try {
      const { statusText, headers } = response;
      return new Response(text || null, { status: answered.status, statusText, headers });
    } catch {
      // A status a Response cannot have (a browser's opaque redirect is 0), or a hostile Response's getters.
      throw answers.apiErrorFromResponse(answered, { text: '', truncated: false }, 1, redact);
    }
  };
}

/** The openapi-fetch client of a configuration: its base URL and headers, and the fetch above. */
export const createRaw = (baseUrl: string, config: RequestConfig, tools: RawTools): Client<paths> =>
  createClient<paths>({ baseUrl, headers: config.headers, fetch: rawFetcher(config, tools) });
