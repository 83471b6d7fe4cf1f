// What the fake answers with, before it is checked against the contract and sent: the success of an
// operation with its documented headers, and one rule for every error body (a documented status's own
// example, else the catch-all's example of the same class of status, carrying the status answered).
import { headerExamples, operationFacts, responseExamples, statusCodes } from '../../generated/contract.js';
import type { OperationId } from '../client/types.js';
import { documentedResponse } from './conformance.js';

/** An answer of the fake: the operation whose documented responses judge it, and what it says. */
export interface FakeAnswer {
  operation: OperationId;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

type Examples = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

/** The contract's example error bodies documented for a status (`default` when it is not listed). */
function examplesFor(operation: OperationId, status: number): Record<string, unknown>[] {
  const byStatus = (responseExamples as unknown as Examples)[operation] ?? {};
  const documented = byStatus[String(status)] ?? byStatus.default ?? {};
  return Object.values(Object.values(documented)[0] ?? {}) as Record<string, unknown>[];
}

/**
 * The error body for a status: the contract's example for it, else the catch-all example whose status is
 * of the same class (a 5xx for a 5xx), with `status` set to the one answered and, when given, the
 * message. (Twilio's 401 says only "Authenticate": its example's message is kept.)
 */
export function errorBody(operation: OperationId, status: number, message?: string): Record<string, unknown> {
  const examples = examplesFor(operation, status);
  const sameClass = examples.find((e) => Math.floor(Number(e.status) / 100) === Math.floor(status / 100));
  const body = structuredClone(sameClass ?? examples[0] ?? {});
  body.status = status;
  if (message !== undefined && status !== statusCodes.Unauthorized) body.message = message;
  return body;
}

/** A JSON answer, in the media type the contract documents for that status. */
export function jsonAnswer(
  operation: OperationId,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): FakeAnswer {
  const [type = ''] = Object.keys(documentedResponse(operation, status)?.content ?? {});
  return { operation, status, body, headers: { 'content-type': type, ...headers } };
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

export function toResponse({ status, body, headers }: FakeAnswer): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
}
