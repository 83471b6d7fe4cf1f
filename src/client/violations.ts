// How a ContractViolationError is made (./answers/violations.ts), bound to the code loaded at once, for
// the modules that import it (the tests, the docs' tables): the client loads it on demand.
import type { ValidationError } from '../../generated/validators.js';
import { answers } from './answers/index.js';
import type { Finding } from './answers/violations.js';
import { tools } from './answers-loader.js';

export type { Finding } from './answers/violations.js';
export { MAX_ACTUAL, MAX_BODY_QUOTE, MAX_LISTED, MORE_PATH } from './answers/violations.js';
export { MAX_VIOLATIONS } from './errors.js';

const bound = answers(tools);

/** A validator's errors as findings: one per location, at most MAX_VIOLATIONS, then one counting the rest. */
export const findingsFrom = (errors: readonly ValidationError[], body: unknown, omitted = 0): Finding[] =>
  bound.findingsFrom({ errors, body, omitted });

export const { atFault, violationError } = bound;
