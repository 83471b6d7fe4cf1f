// CORS for the stateful fake over HTTP (`mock --stateful`): a browser's preflight is answered as the
// contract's CORS headers say, and every answer to a cross-origin request carries them, so a page on another
// origin lists, fetches and deletes as it would against the service. Values come from the contract.
import { headerExamples } from '../../generated/contract.js';
import type { Incoming } from '../testing/fetch-emulation.js';
import { type Route, route } from '../testing/routing.js';

/** The CORS protocol's response headers (the Fetch standard's names), as the contract documents them. */
const CORS_HEADER = /^access-control-/i;
const ALLOW_METHODS = /^access-control-allow-methods$/i;

/** The CORS headers the contract documents for the answers of the operations on a path, its example values. */
function documentedCors(onPath: Route[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { id } of onPath)
    for (const byStatus of Object.values(headerExamples[id] as Record<string, Record<string, unknown>>))
      for (const [name, value] of Object.entries(byStatus))
        if (CORS_HEADER.test(name) && !(name in headers)) headers[name] = String(value);
  return headers;
}

/** The CORS headers an answer to this request carries: none unless it is cross-origin, on a path of the contract. */
export function corsHeaders(request: Incoming): Record<string, string> {
  if (request.headers.get('origin') === null) return {};
  return documentedCors(route(request).onPath);
}

/**
 * The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) on a path of the
 * contract, else undefined: 204 with the contract's CORS headers, the methods allowed being those the path
 * really has. No credentials are asked for: a browser never sends them with a preflight.
 */
export function preflight(request: Incoming): Response | undefined {
  const { headers } = request;
  if (
    request.method !== 'OPTIONS' ||
    headers.get('origin') === null ||
    headers.get('access-control-request-method') === null
  )
    return undefined;
  const { onPath } = route(request);
  if (!onPath.length) return undefined;
  const methods = [...new Set([...onPath.map((r) => r.op.method), request.method])].join(', ');
  const cors = Object.entries(documentedCors(onPath)).map(([name, value]): [string, string] => [
    name,
    ALLOW_METHODS.test(name) ? methods : value,
  ]);
  return new Response(null, { status: 204, headers: cors });
}
