// Turns an HTTP response into the operation's result, an ApiError or a ContractViolationError, by the contract.
import type { ValidationError, Validator } from '../../generated/validators.js';
import { ApiError, ContractViolationError, type Violation } from './errors.js';
import { redactDeep } from './redact.js';
import type { ProblemBody, TwilioErrorBody } from './types.js';

/** Each documented 2xx status of an operation, with its media types' validators (none: no body). */
export type SuccessFacts = Readonly<Record<string, Readonly<Record<string, Validator>>>>;

/** The media type of a Content-Type value, lower-cased, without parameters: `application/json`. */
export function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** A one-line excerpt of a non-JSON body (an HTML error page, say): tags and extra spaces removed. */
export const excerpt = (text: string): string =>
  text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);

/** What the body holds at a JSON pointer, shortened: `"twilsock"`, `42`. */
function actualAt(body: unknown, pointer: string): string {
  let node = body;
  for (const part of pointer.split('/').slice(1))
    node = (node as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return String(JSON.stringify(node)).slice(0, 64);
}

/** Ajv's errors as one violation per location: `anyOf [X, null]` alternatives folded away, enum values listed. */
export function violationsFrom(errors: readonly ValidationError[], body: unknown): Violation[] {
  const byPath = new Map<string, Set<string | undefined>>();
  for (const { keyword, instancePath, params, message } of errors) {
    if (keyword === 'anyOf' || (keyword === 'type' && params.type === 'null')) continue;
    const messages = byPath.get(instancePath) ?? byPath.set(instancePath, new Set()).get(instancePath);
    messages?.add(
      keyword === 'enum'
        ? `must be one of ${(params.allowedValues as string[]).join(', ')}`
        : keyword === 'type'
          ? `must be ${String(params.type).split(',').join(' or ')}`
          : message,
    );
  }
  return [...byPath].map(([path, messages]) => ({
    path: path || '/',
    message: `${[...messages].join('; ')} (got ${actualAt(body, path)})`,
  }));
}

/**
 * Checks a 2xx response against what the operation documents (status, media type, body) and returns
 * the parsed body (undefined for a documented empty one).
 */
export function successBody(
  success: SuccessFacts,
  response: Response,
  text: string,
  attempts: number,
  validate: boolean,
  redact: (text: string) => string,
): unknown {
  const violations: Violation[] = [];
  const { status } = response;
  const statuses = Object.keys(success);
  const media = success[status] ?? success[statuses[0] as string] ?? {};
  const types = Object.keys(media);
  const type = mediaType(response.headers.get('content-type'));
  if (validate && !success[status])
    violations.push({ path: 'status', message: `${status} is not documented (expected ${statuses})` });
  let body: unknown;
  if (!types.length) {
    if (text && validate)
      violations.push({ path: 'body', message: `must be empty (got ${text.length} characters)` });
  } else {
    const check = media[type] ?? media[types[0] as string];
    if (validate && !media[type])
      violations.push({ path: 'content-type', message: `"${type}" is not documented (expected ${types})` });
    try {
      body = JSON.parse(text);
      if (validate && check && !check(body)) violations.push(...violationsFrom(check.errors ?? [], body));
    } catch (error) {
      violations.push({ path: 'body', message: `is not valid JSON (${(error as Error).message})` });
      body = excerpt(text);
    }
  }
  if (!violations.length) return body;
  const list = violations.map((v) => `${v.path}: ${v.message}`).join('; ');
  throw new ContractViolationError(redact(`Response ${status} breaks the contract: ${list}`), {
    attempts,
    status,
    violations: redactDeep(violations, redact) as Violation[],
    body: redactDeep(body, redact),
  });
}

/** The fields of an error body this client reads: Twilio's, or an RFC 9457 problem's (typed by the contract). */
type ErrorBody = Partial<TwilioErrorBody> & Partial<ProblemBody>;

/** An ApiError for a non-2xx response: Twilio's JSON error body when it is one, else a short excerpt. */
export function apiErrorFromResponse(
  response: Response,
  text: string,
  attempts: number,
  redact: (text: string) => string,
): ApiError {
  const { status } = response;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {}
  if (parsed && typeof parsed === 'object') {
    const body = redactDeep(parsed, redact) as ErrorBody;
    const code = typeof body.code === 'number' ? body.code : undefined;
    const moreInfo = typeof body.more_info === 'string' ? body.more_info : undefined;
    const what = body.message ?? body.title;
    const message = `Conversations API answered ${status}${code ? ` (code ${code})` : ''}${what ? `: ${what}` : ''}${moreInfo ? ` (${moreInfo})` : ''}`;
    return new ApiError(message, {
      attempts,
      status,
      body,
      code,
      moreInfo,
      details: body.details ?? body.detail,
    });
  }
  const short = redact(excerpt(text));
  return new ApiError(
    `Conversations API answered ${status} with a non-JSON body${short ? `: ${short}` : ''}`,
    {
      attempts,
      status,
      body: short,
    },
  );
}
