// Whether an answer keeps what the contract documents for its operation and status: the status, the
// media type, the body and the headers. One judgement, used by the fake (on everything it answers)
// and by the contract check (on everything a service answers).
import { operationFacts, responses } from '../../generated/contract.js';
import type { Validator } from '../../generated/validators.js';
import type { Redact } from '../client/redact.js';
import { violationsFrom } from '../client/response.js';
import type { OperationId } from '../client/types.js';

/** An answer as the judgement needs it. */
export interface AnswerToJudge {
  operation: OperationId;
  status: number;
  /** The media type, without parameters (`application/json`); empty when there is none. */
  contentType: string;
  headers: { has(name: string): boolean };
  /** The parsed body (undefined for an empty one). */
  body: unknown;
  /** Why the body could not be read or parsed, when it could not. */
  bodyProblem?: string;
}

interface Documented {
  content: Record<string, { validate: Validator }>;
  headers: readonly string[];
}

/** The response the contract documents for an operation's status: by number, else `default` for an error. */
export function documentedResponse(operation: OperationId, status: number): Documented | undefined {
  const byStatus = responses[operation] as unknown as Record<string, Documented>;
  // `default` stands for the errors the contract does not list: a success or a redirect must be listed.
  return byStatus[String(status)] ?? (status >= 400 ? byStatus.default : undefined);
}

/** The most body violations one answer lists (then `and N more`). */
export const MAX_BODY_PROBLEMS = 10;

/**
 * Every way the answer breaks the contract, in words; none when it keeps it. `redact` masks what a
 * service echoed of a credential in the values quoted (before they are cut). With `offContractFields`
 * (a fake holding bindings off the contract on purpose), a value off the contract in a field of a
 * resource is no problem; everything else is judged as ever.
 */
export function conformance(
  x: AnswerToJudge,
  {
    headers = false,
    redact,
    offContractFields = false,
  }: { headers?: boolean; redact?: Redact; offContractFields?: boolean } = {},
): string[] {
  const byNumber = (responses[x.operation] as unknown as Record<string, Documented>)[String(x.status)];
  const response = documentedResponse(x.operation, x.status);
  if (!response) return [`status ${x.status} is not documented for this operation`];
  const problems: string[] = [];
  if (headers)
    for (const name of response.headers)
      if (!x.headers.has(name)) problems.push(`documented header ${name} is missing`);
  const types = Object.keys(response.content);
  if (!types.length) {
    if (x.body !== undefined || x.bodyProblem) problems.push(`a ${x.status} has no body, but one was sent`);
    return problems;
  }
  const spec = response.content[x.contentType];
  if (!spec)
    return [
      ...problems,
      `content type "${x.contentType.slice(0, 100)}" is not documented for ${x.status} (expected ${types.join(', ')})`,
    ];
  if (x.bodyProblem) return [...problems, `body ${x.bodyProblem}`];
  if (!spec.validate(x.body)) {
    const field = offContractFields ? operationFacts[x.operation].resourceField : null;
    const tolerated = field ? new RegExp(field) : undefined;
    const violations = violationsFrom(spec.validate.errors ?? [], x.body, redact).filter(
      (v) => !tolerated?.test(v.path),
    );
    const listed = violations.slice(0, MAX_BODY_PROBLEMS);
    for (const v of listed) problems.push(`body ${v.path}: ${v.message}`);
    // The validator keeps its first errors and counts the locations past them (`omitted`): violations too.
    const more = violations.length - listed.length + (spec.validate.omitted ?? 0);
    if (more > 0) problems.push(`body: and ${more} more violations`);
  }
  // An error body's `status` must repeat the HTTP status it answers (TwilioError and Problem both carry one).
  const bodyStatus = (x.body as { status?: unknown } | undefined)?.status;
  if (byNumber && x.status >= 400 && typeof bodyStatus === 'number' && bodyStatus !== x.status)
    problems.push(`body status ${bodyStatus} does not match the HTTP status ${x.status}`);
  return problems;
}
