// The fake's bindings: fixtures checked against the contract's ServiceBinding schema, the contract's own
// examples when none are given, and a helper that builds valid bindings from a few fields.
import {
  operationFacts,
  parameterExamples,
  parameterOf,
  responseExamples,
  schemaExamples,
  server,
} from '../../generated/contract.js';
import { validateServiceBinding } from '../../generated/validators.js';
import { quoted } from '../client/quote.js';
import { violationsFrom } from '../client/response.js';
import type { Binding, FetchBindingParams } from '../client/types.js';
import { buildPath } from '../client/url.js';

/**
 * The contract's example SIDs, for tests: the service and binding of the published example (what
 * `fetchBinding` takes), and its account and credential.
 */
export const exampleSids = {
  chatServiceSid: parameterExamples.ChatServiceSid,
  sid: parameterExamples.Sid,
  accountSid: schemaExamples.AccountSid[0],
  credentialSid: schemaExamples.CredentialSid[0],
} as const;

/** A fixture the fake refuses: its index, the field and the rule it breaks. */
export class FixtureError extends TypeError {
  override name = 'FixtureError';
}

/**
 * A binding as the fake takes it (fixtures, `bindingFor`): a Binding whose arrays may be readonly, since
 * the fake only reads them (`as const` fixtures fit).
 */
export type BindingFixture = {
  readonly [K in keyof Binding]?: Binding[K] extends infer V
    ? V extends readonly (infer Item)[]
      ? readonly Item[]
      : V
    : never;
};

/**
 * The Conversation Services a fake is told exist, each checked as the contract's `ChatServiceSid`; a
 * FixtureError naming the first bad one.
 */
export function checkServices(services: unknown, what = 'services'): string[] {
  const { validate, expected } = parameterOf.ListServiceBinding.chatServiceSid;
  if (!Array.isArray(services))
    throw new FixtureError(`${what} must be an array of Conversation Service SIDs, got ${quoted(services)}`);
  services.forEach((service: unknown, index) => {
    if (!validate(service))
      throw new FixtureError(`${what}[${index}]: expected ${expected}, got ${quoted(service)}`);
  });
  return services as string[];
}

/** Every binding the contract's examples hold (the fetch example, the list examples' bindings), each once. */
export function exampleBindings(): Binding[] {
  const found = new Map<string, Binding>();
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const node = value as { sid?: unknown; bindings?: unknown };
      if (typeof node.sid === 'string' && validateServiceBinding(node)) found.set(node.sid, node as Binding);
      else Object.values(node).forEach(visit);
    }
  };
  visit(responseExamples.FetchServiceBinding);
  visit(responseExamples.ListServiceBinding);
  return [...found.values()].map((b) => structuredClone(b));
}

/** A violation in a field of a binding (not of the binding as a whole): what allowOffContract lets through. */
const FIELD = new RegExp(operationFacts.FetchServiceBinding.resourceField ?? '$^');

/**
 * A fixture as the fake will serve it: its JSON, read back (a `toJSON` or an undefined field changes
 * what is served, so that is what is checked). A FixtureError naming the field when it has no JSON form
 * (a cycle, a BigInt).
 */
function served(binding: unknown, at: string): unknown {
  try {
    const text = JSON.stringify(binding);
    return text === undefined ? undefined : JSON.parse(text);
  } catch (error) {
    const fields = binding && typeof binding === 'object' ? Object.keys(binding) : [];
    const field = fields.find((name) => {
      try {
        JSON.stringify((binding as Record<string, unknown>)[name]);
        return false;
      } catch {
        return true;
      }
    });
    const why = String((error as Error)?.message ?? error)
      .split('\n')[0]
      ?.slice(0, 100);
    throw new FixtureError(`${at}${field ? `/${field}` : ''}: cannot be served as JSON (${why})`);
  }
}

/**
 * Checks fixtures as the contract's ServiceBinding schema does, plus what a stored binding needs (a
 * `sid` and a `chat_service_sid`, the sid once), as they will be served (their JSON); throws a
 * FixtureError naming the first bad one. Returns what will be served.
 */
export function checkFixtures(
  bindings: unknown,
  what = 'bindings',
  { allowOffContract = false }: { allowOffContract?: boolean } = {},
): Binding[] {
  if (!Array.isArray(bindings))
    throw new FixtureError(`${what} must be an array of bindings, got ${typeof bindings}`);
  const sids = new Set<string>();
  return bindings.map((given, index) => {
    const at = `${what}[${index}]`;
    const binding = served(given, at);
    if (!validateServiceBinding(binding)) {
      // Off the contract on purpose, a field may hold any value; the binding must still be an object.
      const violations = violationsFrom(validateServiceBinding.errors ?? [], binding);
      const first = violations.find((v) => !(allowOffContract && FIELD.test(v.path)));
      if (first) throw new FixtureError(`${at}${first.path === '/' ? '' : first.path}: ${first.message}`);
    }
    const { sid, chat_service_sid: service } = binding as Binding;
    for (const [field, value] of [
      ['sid', sid],
      ['chat_service_sid', service],
    ] as const)
      if (typeof value !== 'string')
        throw new FixtureError(`${at}/${field}: a stored binding needs one (got ${value})`);
    if (sids.has(sid as string))
      throw new FixtureError(`${at}/sid: ${sid} is already held by an earlier binding`);
    sids.add(sid as string);
    return binding as Binding;
  });
}

let made = 0;

/** A binding's own path: the fetch operation's, for its service and sid. */
export function pathOf(params: FetchBindingParams): string {
  const { path, parameters } = operationFacts.FetchServiceBinding;
  return buildPath(path, Object.fromEntries(parameters.map((p) => [p.name, params[p.key]])));
}

/**
 * A valid binding from a few fields, the rest derived consistently: the contract's example as the
 * template, a fresh `sid` unless given (the example's with its last digits counting up), `url` built from
 * the fetch path on the contract's server, and `date_updated` following `date_created`.
 */
export function bindingFor(fields: BindingFixture = {}): Binding {
  const [template] = exampleBindings();
  const base = template ?? ({} as Binding);
  const sid = fields.sid ?? `${String(base.sid).slice(0, -8)}${String(++made).padStart(8, '0')}`;
  const service = fields.chat_service_sid ?? base.chat_service_sid;
  const url = `${server}${pathOf({ chatServiceSid: String(service), sid: String(sid) })}`;
  const created = fields.date_created ?? base.date_created;
  const binding = {
    ...base,
    url,
    date_created: created,
    date_updated: created,
    ...fields,
    sid,
    chat_service_sid: service,
  };
  return checkFixtures([binding], 'bindingFor(…)')[0] as Binding;
}
