// What the code of ./ (loaded on demand) uses of the code a program loads at once, as one object handed
// over at load (./index.ts): an import would make a bundler put the code both use in a chunk of its own,
// loaded at once and compressed apart from the rest (about 600 bytes more, measured).
import type { parseJson } from '../body.js';
import type { ApiError, ContractViolationError, NetworkError, TimeoutError } from '../errors.js';
import type { readSafely, redactDeep, textOf } from '../redact.js';
import type { escapeControls, joined, quote, render, said, words } from '../said.js';

/** What saying a violation takes: the words and quotes of ../said.ts, the bound, the contract's names. */
export interface SaidTools {
  words: typeof words;
  said: typeof said;
  quote: typeof quote;
  render: typeof render;
  joined: typeof joined;
  escapeControls: typeof escapeControls;
  /** The most violations an error keeps (see ../errors.ts). */
  maxViolations: number;
  /** The contract's field names: words of the contract, which redaction never masks (paths, keys). */
  contractNames: ReadonlySet<string>;
}

/** All of it: the errors made, and reading a body. */
export interface Tools extends SaidTools {
  ApiError: typeof ApiError;
  ContractViolationError: typeof ContractViolationError;
  NetworkError: typeof NetworkError;
  TimeoutError: typeof TimeoutError;
  parseJson: typeof parseJson;
  redactDeep: typeof redactDeep;
  readSafely: typeof readSafely;
  textOf: typeof textOf;
}
