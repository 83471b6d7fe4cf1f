// Loads what the client makes of an answer (./answers/) once, with a client's first request, while it is
// on its way, and hands it the code loaded at once that it shares (./answers/tools.ts says why).
import { fieldNames } from '../../generated/validators.js';
import type { Answers } from './answers/index.js';
import type { Tools } from './answers/tools.js';
import { parseJson } from './body.js';
import { ApiError, ContractViolationError, MAX_VIOLATIONS, NetworkError, TimeoutError } from './errors.js';
import { readSafely, redactDeep, textOf } from './redact.js';
import { escapeControls, joined, quote, render, said, words } from './said.js';

/** The code loaded at once that ./answers/ uses. */
export const tools: Tools = {
  words,
  said,
  quote,
  render,
  joined,
  escapeControls,
  ApiError,
  ContractViolationError,
  NetworkError,
  TimeoutError,
  maxViolations: MAX_VIOLATIONS,
  contractNames: new Set(fieldNames),
  parseJson,
  redactDeep,
  readSafely,
  textOf,
};

let loading: Promise<Answers> | undefined;
/** The answers once loaded: a call that finds them needs not wait for a promise. */
export let loadedAnswers: Answers | undefined;

/** The answers, loaded once; a load that fails is tried again by the next call. */
export function loadAnswers(): Promise<Answers> {
  loading ??= import('./answers/index.js').then(
    ({ answers }) => {
      loadedAnswers = answers(tools);
      return loadedAnswers;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
