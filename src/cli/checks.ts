// The registry of verify's checks, in the order they run and the report lists them. Each runs on every
// operation of the contract it fits (its actions, from generated/registry.js) or once over the run; each is
// a small object in its module, its expectations data from the contract. Adding a check is adding an entry.
import { statusCodes } from '../../generated/contract.js';
import { anyOf, type Check, guard, type OperationCheck } from './check.js';
import { fuzzOperation } from './fuzz.js';
import {
  negativePathData,
  negativeQueryData,
  noCredentials,
  unacceptableAccept,
  undocumentedMethod,
  wrongCredentials,
} from './input-checks.js';
import {
  deletedNotListed,
  deleteInstance,
  deleteTwice,
  firstPage,
  knownInstance,
  unknownInstance,
  useAfterFree,
} from './instance-checks.js';
import { destructive } from './judging.js';
import { listFilters, listPagination } from './list-checks.js';
import { type Action, nounsFor, operations, successFor } from './operations.js';
import { everyOperationCalled, notAServerError, statusConformance } from './run-checks.js';

export { MOCK_SKIP } from './judging.js';
export { MAX_VERIFY_WALK_MEMORY } from './walk.js';

const fuzzing = guard('without --fuzz N', (options) =>
  options.fuzz ? undefined : 'runs only with --fuzz N',
);

/** A fuzz check: --fuzz N generated cases of each operation of an action, the first failure shrunk to a minimal case. */
function fuzzCheck(action: Action): OperationCheck {
  const ids = operations.filter((op) => op.action === action).map((op) => op.id);
  const pages =
    action === 'list'
      ? ` (only the ${nounsFor('list', true)} its filters allow, on pages of the size asked)`
      : '';
  return {
    name: `fuzz_${action}`,
    severity: 'error',
    title: `Generated ${ids.join(', ')} cases: valid ones get a documented answer that conforms, invalid ones a 4xx`,
    proves: `--fuzz N cases of ${ids.join(', ')} from the contract's arbitraries: a valid request gets ${successFor(action, 'status')} or ${statusCodes.NotFound} with a conforming body${pages}, never a 5xx; an invalid one (one rule broken) a 4xx with a conforming error body. A failure is shrunk to a minimal case, with a curl line and a command that replays it.`,
    skip: action === 'delete' ? anyOf(fuzzing, destructive) : fuzzing,
    on: [action],
    probe: (probe) => fuzzOperation(`fuzz_${action}`, probe),
  };
}

/** A warning check's words for the help and the docs: why it fails nothing but --strict; none for a check of the contract. */
export function severityNote(check: Check): string | undefined {
  return check.severity === 'warning'
    ? `A warning (verify's recommendation: ${check.allowedBy ?? 'the contract does not require it'}): it fails the run only with --strict.`
    : undefined;
}

export const checks: Check[] = [
  knownInstance,
  notAServerError,
  negativePathData,
  noCredentials,
  wrongCredentials,
  unknownInstance,
  statusConformance,
  undocumentedMethod,
  unacceptableAccept,
  firstPage,
  listPagination,
  listFilters,
  negativeQueryData,
  deleteInstance,
  useAfterFree,
  deletedNotListed,
  deleteTwice,
  fuzzCheck('list'),
  fuzzCheck('fetch'),
  fuzzCheck('delete'),
  everyOperationCalled,
];
