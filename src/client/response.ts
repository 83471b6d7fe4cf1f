// What the client makes of a response (./answers/), bound to the code loaded at once, for the modules
// that import it (the command line, the fake, the tests): the client loads it on demand instead, with its
// first request (./answers-loader.ts), so that a program does not load it before it needs it. Each export
// stands alone, so a bundle keeps only those it uses.

import type { ValidationError } from '../../generated/validators.js';
import { saidTools, tools } from './answer-tools.js';
import { apiErrorFromResponse as apiError } from './answers/failure.js';
import {
  type Answered,
  excerpt as excerptOf,
  successBody as judge,
  type Success,
} from './answers/success.js';
import {
  findingsFrom,
  shown,
  type ViolationReport,
  violationError as violation,
} from './answers/violations.js';
import type { Body } from './body.js';
import type { Violation } from './errors.js';
import type { Redact } from './redact.js';

export type { Answered, SuccessFacts, SuccessNames, Validation } from './answers/success.js';
export { EXCERPT_LENGTH, EXCERPT_SCAN, mediaType, successFacts } from './answers/success.js';
export { MAX_LISTED, MORE_PATH } from './answers/violations.js';
export { MAX_VIOLATIONS } from './errors.js';
export { MAX_QUOTE } from './said.js';

/** A one-line excerpt of a non-JSON body: bounded, its tags and extra spaces removed, masked, escaped. */
export const excerpt = (text: string, redact?: Redact): string => excerptOf(saidTools, text, redact);

/** A 2xx response checked against what its operation documents: its body, or a ContractViolationError. */
export const successBody = (args: Success): unknown => judge(tools, args);

/** An ApiError for a non-2xx response: the service's JSON error body redacted, else a short excerpt. */
export const apiErrorFromResponse = (
  answered: Pick<Answered, 'status'>,
  body: Body,
  attempts: number,
  redact: Redact,
) => apiError(tools, answered, body, attempts, redact);

/** A ContractViolationError from what broke the contract (see ./answers/violations.ts). */
export const violationError = (report: ViolationReport) => violation(tools, report);

/** A validator's errors as a ContractViolationError's violations: one per location, bounded, `redact` masking what was sent. */
export const violationsFrom = (
  errors: readonly ValidationError[],
  body: unknown,
  redact?: Redact,
  omitted = 0,
): Violation[] => findingsFrom(saidTools, { errors, body, omitted }).map((f) => shown(saidTools, f, redact));
