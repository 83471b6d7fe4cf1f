// What the client makes of an answer, loaded on demand with a client's first request (while it is on its
// way): a success judged by the contract, an ApiError, a TimeoutError or NetworkError, a violation of a
// list walk. Each function is bound to the code loaded at once (./tools.ts), handed over by its loader.

import type { Body } from '../body.js';
import type { Redact } from '../redact.js';
import {
  apiErrorFromResponse,
  type Tries,
  type Unanswered,
  type Unloaded,
  unanswered,
  unloaded,
} from './failure.js';
import { type Answered, excerpt, mediaType, type Success, successBody, successFacts } from './success.js';
import type { Tools } from './tools.js';
import {
  atFault,
  type Fault,
  type Finding,
  type Found,
  findingsFrom,
  shown,
  type ViolationReport,
  violationError,
} from './violations.js';

/**
 * The answers' functions, bound to the tools of the code loaded at once. (Each closure spells its
 * arguments out: a rest-and-spread wrapper costs an array per call, on every request.)
 */
export function answers(t: Tools) {
  return {
    successFacts,
    mediaType,
    parseJson: t.parseJson,
    /** A JSON body with every text redacted but the contract's names (as a reader looks fields up by them). */
    redactBody: (value: unknown, redact: Redact) => t.redactDeep(value, redact, t.contractNames),
    successBody: (args: Success) => successBody(t, args),
    apiErrorFromResponse: (
      answered: Pick<Answered, 'status'>,
      body: Body,
      attempts: number,
      redact: Redact,
    ) => apiErrorFromResponse(t, answered, body, attempts, redact),
    unanswered: (result: Unanswered, tries: Tries) => unanswered(t, result, tries),
    unloaded: (what: Unloaded) => unloaded(t, what),
    excerpt: (text: string, redact?: Redact) => excerpt(t, text, redact),
    findingsFrom: (found: Found) => findingsFrom(t, found),
    shown: (finding: Finding, redact?: Redact) => shown(t, finding, redact),
    atFault: (at: Fault) => atFault(t, at),
    violationError: (report: ViolationReport) => violationError(t, report),
  };
}

/** What ./index.js gives its loader. */
export type Answers = ReturnType<typeof answers>;
