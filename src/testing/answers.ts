// What the fake answers with, before it is checked against the contract and sent: the success of an
// operation with its documented headers, and one rule for every error body (a documented status's own
// example, else the catch-all's example of the same class of status, carrying the status answered).
import { headerExamples, operationFacts, responseExamples, statusCodes } from '../../generated/contract.js';
import type { OperationId } from '../client/types.js';
import { documentedResponse } from './conformance.js';

/** An integer of a body past what a number holds exactly: the object and key holding it, and its digits. */
export interface ExactInteger {
  holder: object;
  key: string;
  digits: string;
}

/** An answer of the fake: the operation whose documented responses judge it, and what it says. */
export interface FakeAnswer {
  operation: OperationId;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Integers its JSON writes in these digits (the body holds the nearest number, to be judged). */
  exact?: ExactInteger[] | undefined;
}

type Examples = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

/**
 * The contract's example error bodies documented for a status (`default` when it is not listed), in a
 * media type (default: the first documented).
 */
function examplesFor(operation: OperationId, status: number, mediaType?: string): Record<string, unknown>[] {
  const byStatus = (responseExamples as unknown as Examples)[operation] ?? {};
  const documented = byStatus[String(status)] ?? byStatus.default ?? {};
  const examples = mediaType === undefined ? Object.values(documented)[0] : documented[mediaType];
  return Object.values(examples ?? {}) as Record<string, unknown>[];
}

/**
 * The error body for a status: the contract's example for it, else the catch-all example whose status is
 * of the same class (a 5xx for a 5xx), with `status` set to the one answered and, when given, the
 * message. (Twilio's 401 says only "Authenticate": its example's message is kept.)
 */
export function errorBody(
  operation: OperationId,
  status: number,
  message?: string,
  mediaType?: string,
): Record<string, unknown> {
  const examples = examplesFor(operation, status, mediaType);
  const sameClass = examples.find((e) => Math.floor(Number(e.status) / 100) === Math.floor(status / 100));
  const body = structuredClone(sameClass ?? examples[0] ?? {});
  body.status = status;
  // A Twilio error says it in `message`; an RFC 9457 problem, in `detail`.
  if (message !== undefined && status !== statusCodes.Unauthorized)
    body['message' in body ? 'message' : 'detail'] = message;
  return body;
}

/** A JSON answer, in the media type given, else the first the contract documents for that status. */
export function jsonAnswer(
  operation: OperationId,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  mediaType?: string,
): FakeAnswer {
  const [first = ''] = Object.keys(documentedResponse(operation, status)?.content ?? {});
  return { operation, status, body, headers: { 'content-type': mediaType ?? first, ...headers } };
}

/** An error answer by the one rule above. */
export const errorAnswer = (
  operation: OperationId,
  status: number,
  message?: string,
  headers: Record<string, string> = {},
) => jsonAnswer(operation, status, errorBody(operation, status, message), headers);

/** The documented headers of an operation's success, each with the contract's example value. */
export const successHeaders = (operation: OperationId): Record<string, string> => ({
  ...(headerExamples[operation] as Record<string, Record<string, string>>)[
    String(operationFacts[operation].successStatus)
  ],
});

/** The headers a fault's status documents (Retry-After for a 429), with `retryAfter` or the example. */
export function faultHeaders(operation: OperationId, status: number, retryAfter?: number | string) {
  const documented = operationFacts[operation].retryAfter;
  const headers: Record<string, string> = {};
  if (documented?.statuses.some((s) => s === status)) {
    const byStatus = (headerExamples[operation] as Record<string, Record<string, string>>)[String(status)];
    headers[documented.header] = String(retryAfter ?? byStatus?.[documented.header]);
  }
  return headers;
}

/** An answer's header names, as the contract judgement asks for them (case-insensitively). */
export function headerSet(headers: Record<string, string>): { has(name: string): boolean } {
  return {
    has(wanted) {
      const lower = wanted.toLowerCase();
      for (const name in headers) if (name.toLowerCase() === lower) return true;
      return false;
    },
  };
}

/**
 * A body as JSON, each of its `exact` integers written in its own digits: the number in the body stands
 * in for it, marked by a random token while the body is stringified, then replaced.
 */
function jsonOf(body: unknown, exact: readonly ExactInteger[]): string {
  if (!exact.length) return JSON.stringify(body);
  const mark = `exact-integer-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}-`;
  const text = JSON.stringify(body, function (this: unknown, key: string, value: unknown) {
    const at = exact.findIndex((e) => e.holder === this && e.key === key);
    return at < 0 ? value : `${mark}${at}`;
  });
  return exact.reduce((json, e, at) => json.replace(`"${mark}${at}"`, () => e.digits), text);
}

export function toResponse({ status, body, headers, exact = [] }: FakeAnswer): Response {
  return new Response(body === undefined ? null : jsonOf(body, exact), { status, headers });
}
