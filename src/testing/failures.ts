// When the fake itself fails: an answer of its own that would break the contract, or a function given to it
// that throws. Either is answered as a 500 naming what failed and how, never a dropped connection.
import { quoted } from '../client/quote.js';
import { readSafely } from '../client/redact.js';
import { mediaType } from '../client/response.js';
import { errorAnswer, type FakeAnswer, headerSet } from './answers.js';
import { conformance } from './conformance.js';
import { FakeFailure } from './faults.js';

/** Why the fake answered a 500 of its own: its answer would have broken the contract (a bug in the fake). */
export class FakeContractError extends Error {
  override name = 'FakeContractError';
}

/** The status the fake answers when it, or a function given to it, failed: an internal server error. */
export const FAKE_FAILURE_STATUS = 500;
/** What the message of that answer starts with. */
export const FAKE_FAILURE = 'The fake failed, not the service';

/**
 * Whether an answer keeps the contract (then it counts as coverage). One that holds an instance off the
 * contract (allowed) does not; one that breaks it otherwise is a FakeFailure naming `what` made it.
 */
export function keepsContract(result: FakeAnswer, tolerant: boolean, what: string): boolean {
  const judged = {
    operation: result.operation,
    status: result.status,
    contentType: mediaType(result.headers['content-type'] ?? null),
    headers: headerSet(result.headers),
    body: result.body,
  };
  const problems = conformance(judged, { headers: true });
  if (!problems.length) return true;
  const breaking = tolerant ? conformance(judged, { headers: true, offContractFields: true }) : problems;
  if (breaking.length) throw new FakeFailure(what, new FakeContractError(breaking.join('; ')));
  return false;
}

/** A thrown value as a bounded, escaped quote: its name and message, read guardedly. */
function thrownText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return quoted(error);
  const parts = [readSafely(error, 'name'), readSafely(error, 'message')];
  const text = parts.filter((part) => typeof part === 'string' && part).join(': ');
  return text ? quoted(text) : 'an object';
}

/** The 500 the fake answers when it, or a function given to it, failed: saying which, and how. */
export function failureAnswer(operation: FakeAnswer['operation'], failure: unknown): FakeAnswer {
  const how =
    failure instanceof FakeFailure
      ? failure.said !== undefined
        ? `${failure.what} ${failure.said}`
        : failure.cause instanceof FakeContractError
          ? `${failure.what} breaks the contract: ${failure.cause.message}`
          : `${failure.what} threw ${thrownText(failure.cause)}`
      : `it threw ${thrownText(failure)} (a bug in the fake)`;
  return errorAnswer(operation, FAKE_FAILURE_STATUS, `${FAKE_FAILURE}: ${how}`);
}

/** Runs a function given to the fake (or a step of its own): what it throws is a FakeFailure naming it. */
export function guarded<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new FakeFailure(what, error);
  }
}

/** As `guarded`, for a function that may return a promise: awaited, its rejection is a FakeFailure too. */
export async function awaited<T>(what: string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new FakeFailure(what, error);
  }
}
