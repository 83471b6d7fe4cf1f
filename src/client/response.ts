// What the client makes of a response (./answers/), bound to the code loaded at once, for the modules
// that import it (the command line, the fake, the tests): the client loads it on demand instead, with its
// first request (./answers-loader.ts), so that a program does not load it before it needs it.
import { answers } from './answers/index.js';
import { tools } from './answers-loader.js';
import type { Violation } from './errors.js';
import type { Redact } from './redact.js';

export type { Answered, SuccessFacts, SuccessNames, Validation } from './answers/success.js';
export { EXCERPT_LENGTH, EXCERPT_SCAN } from './answers/success.js';
export { MAX_LISTED, MORE_PATH } from './answers/violations.js';
export { MAX_VIOLATIONS } from './errors.js';
export { MAX_QUOTE } from './said.js';

const bound = answers(tools);

export const { mediaType, excerpt, successFacts, successBody, apiErrorFromResponse, violationError } = bound;

/** A validator's errors as a ContractViolationError's violations: one per location, bounded, `redact` masking what was sent. */
export const violationsFrom = (
  errors: Parameters<typeof bound.findingsFrom>[0]['errors'],
  body: unknown,
  redact?: Redact,
  omitted = 0,
): Violation[] => bound.findingsFrom({ errors, body, omitted }).map((f) => bound.shown(f, redact));
