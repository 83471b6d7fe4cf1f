// Turns an HTTP response into a Binding, an ApiError or a ContractViolationError, by the contract.
import { responses } from '../generated/contract.js';
import type { ValidationError } from '../generated/validators.js';
import { ApiError, ContractViolationError, type Violation } from './errors.js';
import { redactDeep } from './redact.js';
import type { Binding, TwilioErrorBody } from './types.js';

type Documented = { readonly content: Record<string, { readonly validate: (data: unknown) => boolean }> };
const documented = responses as unknown as Record<string, Documented>;

const EXCERPT_LENGTH = 160;

/** A one-line excerpt of a non-JSON body (an HTML error page, say), tags and extra spaces removed. */
export function excerpt(text: string): string {
  const flat = text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH - 1)}…` : flat;
}

const mediaType = (header: string | null) => (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** Ajv's errors as one violation per JSON pointer; `anyOf [X, null]` noise folded into "X or null". */
export function violationsFrom(errors: readonly ValidationError[]): Violation[] {
  const byPath = new Map<string, ValidationError[]>();
  for (const error of errors) {
    if (error.keyword === 'anyOf') continue;
    byPath.set(error.instancePath, [...(byPath.get(error.instancePath) ?? []), error]);
  }
  return [...byPath].map(([path, list]) => {
    const nullable = list.some((e) => e.keyword === 'type' && e.params.type === 'null');
    const rest = list.filter((e) => !(e.keyword === 'type' && e.params.type === 'null'));
    const messages = (rest.length ? rest : list).map((e) => {
      if (e.keyword === 'enum') return `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
      if (e.keyword === 'type') {
        const types = String(e.params.type)
          .split(',')
          .filter((t) => t !== 'null');
        return `must be ${[...types, ...(nullable || String(e.params.type).includes('null') ? ['null'] : [])].join(' or ')}`;
      }
      return e.message ?? e.keyword;
    });
    return { path: path || '/', message: [...new Set(messages)].join('; ') };
  });
}

/** What the body at a JSON pointer actually was, for a message: `"twilsock"`, `42`. */
function actualAt(body: unknown, pointer: string): string {
  let node = body;
  for (const part of pointer.split('/').slice(1)) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  const text = JSON.stringify(node) ?? 'undefined';
  return text.length > 64 ? `${text.slice(0, 63)}…` : text;
}

/** Checks a 2xx response against the contract and returns its body as a Binding. */
export function bindingFromResponse(
  response: Response,
  text: string,
  attempts: number,
  validate: boolean,
  redact: (text: string) => string,
): Binding {
  const violations: Violation[] = [];
  const spec = documented[String(response.status)];
  const contentType = mediaType(response.headers.get('content-type'));
  const statuses = Object.keys(documented).filter((s) => s.startsWith('2'));
  if (validate && !spec) {
    violations.push({
      path: 'status',
      message: `${response.status} is not a documented status (expected ${statuses.join(', ')})`,
    });
  }
  const content = (spec ?? documented[statuses[0] ?? '200'])?.content ?? {};
  if (validate && !(contentType in content)) {
    violations.push({
      path: 'content-type',
      message: `${JSON.stringify(contentType || '(none)')} is not documented (expected ${Object.keys(content).join(', ')})`,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    violations.push({ path: 'body', message: `is not valid JSON (${(error as Error).message})` });
    body = excerpt(text);
  }
  const schema = content[contentType] ?? Object.values(content)[0];
  if (validate && violations.every((v) => v.path !== 'body') && schema && !schema.validate(body)) {
    const errors = (schema.validate as unknown as { errors?: ValidationError[] }).errors ?? [];
    for (const v of violationsFrom(errors)) {
      violations.push({
        path: v.path,
        message: `${v.message} (got ${actualAt(body, v.path === '/' ? '' : v.path)})`,
      });
    }
  }
  if (violations.length) {
    const list = violations.map((v) => `${v.path}: ${v.message}`).join('; ');
    throw new ContractViolationError(
      redact(`Response ${response.status} breaks the contract: ${list}`),
      attempts,
      response.status,
      violations.map((v) => ({ path: v.path, message: redact(v.message) })),
      redactDeep(body, redact),
    );
  }
  return body as Binding;
}

/** An ApiError for a non-2xx response; `error` is openapi-fetch's parsed body (JSON, or text). */
export function apiErrorFromResponse(
  response: Response,
  error: unknown,
  attempts: number,
  redact: (text: string) => string,
): ApiError {
  const status = response.status;
  if (error !== null && typeof error === 'object') {
    const body = redactDeep(error, redact) as Partial<TwilioErrorBody> & Record<string, unknown>;
    const code = typeof body.code === 'number' ? body.code : undefined;
    const moreInfo = typeof body.more_info === 'string' ? body.more_info : undefined;
    const detail = body.details ?? body.detail;
    const text =
      typeof body.message === 'string' ? body.message : typeof body.title === 'string' ? body.title : '';
    const message = `Conversations API answered ${status}${code !== undefined ? ` (code ${code})` : ''}${text ? `: ${text}` : ''}${moreInfo ? ` (${moreInfo})` : ''}`;
    return new ApiError(message, attempts, status, body, code, moreInfo, detail);
  }
  const short = typeof error === 'string' ? redact(excerpt(error)) : '';
  const message = `Conversations API answered ${status} with a non-JSON body${short ? `: ${short}` : ''}`;
  return new ApiError(message, attempts, status, short);
}
