// The checks over a whole run, judged once every probe is done: no answer a 5xx, every answer documented
// and conforming (status, media type, headers, body), and every operation of the contract called (one no
// check covers fails as never called; one whose checks were all skipped is reported as skipped).
import { type Digest, type Finding, type OperationRun, type RunCheck, Skip } from './check.js';
import { conformanceRule } from './fingerprint.js';
import { said, word, words } from './said.js';

/** The run's exchanges, when any got an answer: a check over answers with none to judge is skipped, never passed. */
function answers(run: readonly Digest[]): readonly Digest[] {
  if (!run.some((d) => d.status !== undefined))
    throw new Skip('nothing to judge: no request of the run got an answer');
  return run;
}

export const notAServerError: RunCheck = {
  name: 'not_a_server_error',
  severity: 'error',
  title: 'No request gets a 5xx',
  proves: 'No request of the run got a 5xx.',
  overRun: (run) =>
    answers(run)
      .filter((d) => (d.status ?? 0) >= 500 && !d.shrinking)
      .map((d) => ({
        request: d.request,
        operation: d.operation,
        status: d.status as number,
        problem: said`server error ${d.status ?? 0} (during ${word(d.check)})`,
        during: d.check,
      })),
};

export const statusConformance: RunCheck = {
  name: 'status_conformance',
  severity: 'error',
  title: 'Every status, content type, header and body received is documented and conforms',
  proves:
    'Every status received is documented (a 4xx/5xx may fall under `default`; a success or redirect must be listed), and its content type, headers and body match what is documented for it, on every operation.',
  overRun: (run) =>
    answers(run).flatMap((d) =>
      (d.shrinking ? [] : d.problems).map((text) => ({
        request: d.request,
        operation: d.operation,
        ...(d.status !== undefined && { status: d.status }),
        problem: said`${words(text)} (during ${word(d.check)})`,
        during: d.check,
        ...conformanceRule(text),
      })),
    ),
};

/** Why an operation was never called (none of its checks sent it a request, or none fits it); undefined when it was, or when every check on it was skipped or already failed. */
export function neverCalled({ operation: op, checks, requests }: OperationRun): string | undefined {
  if (requests > 0 || checks.some((c) => c.status === 'fail' || c.status === 'error')) return undefined;
  if (checks.length && checks.every((c) => c.status === 'skip')) return undefined;
  return checks.length
    ? 'never called: no check sent it a request'
    : `never called: no check of verify fits a ${op.action}`;
}

export const everyOperationCalled: RunCheck = {
  name: 'every_operation_called',
  severity: 'error',
  title: 'Every operation of the contract is called',
  proves:
    'Every operation of the contract got a request from a check: one that no check covers fails as never called, never passes; one whose checks were all skipped is reported as skipped, with why. Skipped when no request of the run got an answer.',
  overRun(run, operations) {
    answers(run);
    return operations.flatMap((each): Finding[] => {
      const never = neverCalled(each);
      const { method, path, id } = each.operation;
      return never
        ? [{ request: said`${word(method)} ${word(path)}`, operation: id, problem: words(never) }]
        : [];
    });
  },
};
