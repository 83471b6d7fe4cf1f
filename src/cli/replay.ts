// `verify --replay CHECK/OPERATION/KIND:PATH`: the one fuzz case a report named, checked before anything
// is sent. The path is bounded before it is followed: fast-check walks it synchronously, where no timer or
// signal can stop it.
import { quoted } from '../client/quote.js';
import type { OperationId } from '../client/types.js';
import { checks } from './checks.js';
import { UsageError } from './flags.js';
import { type Operation, operations } from './operations.js';

/** The most steps a --replay path may hold, and the largest shrink step at each (a report's are far smaller). */
export const MAX_REPLAY_STEPS = 500;
export const MAX_REPLAY_SHRINK_INDEX = 1_000;

const KINDS = ['valid', 'invalid'];

/** The fuzz checks, and the operations each fuzzes (those of its action). */
const fuzzChecks = checks.flatMap((c) =>
  c.name.startsWith('fuzz_') && c.on
    ? [{ name: c.name, ops: operations.filter((op) => c.on?.includes(op.action)) }]
    : [],
);

/**
 * The check, operation and kind a --replay names: `fuzz_list/ListServiceBinding/valid`, or (when the check
 * fuzzes one operation, as a report of an older verify printed it) `fuzz_list/valid`.
 */
function caseOf(id: string): { check: string; operation: Operation; kind: string } | undefined {
  const parts = id.split('/');
  const [name, ...rest] = parts;
  const check = fuzzChecks.find((c) => c.name === name);
  if (!check || rest.length < 1 || rest.length > 2) return undefined;
  const kind = rest.at(-1) as string;
  const operation =
    rest.length === 2
      ? check.ops.find((op) => op.id === rest[0])
      : check.ops.length === 1
        ? check.ops[0]
        : undefined;
  return operation && KINDS.includes(kind) ? { check: check.name, operation, kind } : undefined;
}

/**
 * `--replay fuzz_list/ListServiceBinding/valid:4:1:0`: the fuzz check, operation and kind of case, and
 * fast-check's path to the case: its index among that kind's runs of --fuzz N, then a shrink step at each level.
 */
export function replayOf(
  value: string,
  runs: number,
): { check: string; operation: OperationId; path: string } {
  const [id = '', ...path] = value.split(':');
  const found = caseOf(id);
  const steps = path.join(':');
  if (!found || !/^\d{1,9}(:\d{1,9})*$/.test(steps)) {
    const example = fuzzChecks[0] ? `${fuzzChecks[0].name}/${fuzzChecks[0].ops[0]?.id}/valid:12:0:3` : '';
    throw new UsageError(
      `--replay must be CHECK/OPERATION/KIND:PATH as a report prints it (or CHECK/KIND:PATH where CHECK fuzzes one operation; CHECK one of ${fuzzChecks.map((c) => c.name).join(', ')}; OPERATION one it fuzzes; KIND valid or invalid; e.g. ${example}), got ${quoted(value)}`,
    );
  }
  // As fuzz.ts splits --fuzz N: the valid cases first, then the invalid ones.
  const ofKind = found.kind === 'valid' ? Math.ceil(runs / 2) : Math.floor(runs / 2);
  const [first = 0, ...shrinks] = path.map(Number);
  if (first >= ofKind)
    throw new UsageError(
      `--replay ${quoted(value)} names case ${first}, but --fuzz ${runs} makes ${ofKind} ${found.kind} cases of ${found.operation.id}: give the run's own --fuzz N`,
    );
  if (shrinks.length > MAX_REPLAY_STEPS || shrinks.some((i) => i > MAX_REPLAY_SHRINK_INDEX))
    throw new UsageError(
      `--replay ${quoted(value)}: a path of at most ${MAX_REPLAY_STEPS} shrink steps, each at most ${MAX_REPLAY_SHRINK_INDEX}, as a report prints it`,
    );
  return {
    check: `${found.check}/${found.operation.id}/${found.kind}`,
    operation: found.operation.id,
    path: steps,
  };
}
