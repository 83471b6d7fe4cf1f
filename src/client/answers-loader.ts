// Loads what the client makes of an answer (./answers/) once, with a client's first request, while it is
// on its way, and hands it the code loaded at once that it shares (./answer-tools.ts).

import { tools } from './answer-tools.js';
import type { Answers } from './answers/index.js';

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
