// The code loaded at once that what the client makes of an answer (./answers/, loaded on demand) uses,
// as the one object it is handed (./answers/tools.ts says why): by the client's loader and by the
// modules that bind the answers for those that import them (./response.ts, ./violations.ts).
import { fieldNames } from '../../generated/validators.js';
import type { SaidTools, Tools } from './answers/tools.js';
import { parseJson } from './body.js';
import { ApiError, ContractViolationError, MAX_VIOLATIONS, NetworkError, TimeoutError } from './errors.js';
import { readSafely, redactDeep, textOf } from './redact.js';
import { escapeControls, joined, quote, render, said, words } from './said.js';

/** What saying a violation takes of the code loaded at once (all a module that only reports violations needs). */
export const saidTools: SaidTools = {
  words,
  said,
  quote,
  render,
  joined,
  escapeControls,
  maxViolations: MAX_VIOLATIONS,
  contractNames: /* @__PURE__ */ new Set(fieldNames),
};

/** The code loaded at once that ./answers/ uses. */
export const tools: Tools = /* @__PURE__ */ Object.assign(
  { ApiError, ContractViolationError, NetworkError, TimeoutError, parseJson, redactDeep, readSafely, textOf },
  saidTools,
);
