// How a ContractViolationError is made (./answers/violations.ts), bound to the code loaded at once, for
// the modules that import it (the tests, the docs' tables): the client loads it on demand.
import type { ValidationError } from '../../generated/validators.js';
import { saidTools } from './answer-tools.js';
import { type Fault, type Finding, atFault as fault, findingsFrom as found } from './answers/violations.js';
import type { Said } from './said.js';

export type { Finding } from './answers/violations.js';
export { MAX_ACTUAL, MAX_BODY_QUOTE, MAX_LISTED, MORE_PATH } from './answers/violations.js';
export { MAX_VIOLATIONS } from './errors.js';
export { violationError } from './response.js';

/** A validator's errors as findings: one per location, at most MAX_VIOLATIONS, then one counting the rest. */
export const findingsFrom = (errors: readonly ValidationError[], body: unknown, omitted = 0): Finding[] =>
  found(saidTools, { errors, body, omitted });

/** The part of a body at fault, as bounded said text. */
export const atFault = (at: Fault): Said => fault(saidTools, at);
