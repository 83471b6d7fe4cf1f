// The Binding helpers of the 1.x API, over the generic resources: bindings checked against the contract's
// ServiceBinding schema, the contract's examples, the services a fake is told exist, and a helper that
// builds valid bindings from a few fields. Every other resource is reached through `resources`.
import { schemaExamples, server } from '../../generated/contract.js';
import { quoted } from '../client/quote.js';
import type { Binding, FetchBindingParams } from '../client/types.js';
import { buildPath } from '../client/url.js';
import { checkInstances, checkValue, FixtureError, type Tolerance } from './instances.js';
import { exampleInstances, type InstanceFixture, type ResourceName, resources } from './resources.js';
import type { SeedOptions } from './seed.js';

export { FixtureError };

/** The resource of the 1.x API's `bindings`, `services`, `remove` and `bindingFor`: the Binding. */
export const BINDING = 'ServiceBinding' satisfies ResourceName;
const model = resources[BINDING];
const [service] = model.parents;
const naming = model.sid ? [...model.parents, model.sid] : model.parents;

/**
 * A binding as the fake takes it (fixtures, `bindingFor`): a Binding whose arrays may be readonly, since
 * the fake only reads them (`as const` fixtures fit).
 */
export type BindingFixture = InstanceFixture<typeof BINDING>;

/** Every binding the contract's examples hold (the fetch example, the list examples' bindings), each once. */
export const exampleBindings = (): Binding[] => exampleInstances(model) as Binding[];

const [example] = exampleBindings();
/**
 * The contract's example SIDs, for tests: the service and binding of the published example (what
 * `fetchBinding` takes), and its account and credential.
 */
export const exampleSids = {
  ...(Object.fromEntries(
    naming.map((p) => [p.key, (example as Record<string, unknown> | undefined)?.[p.field ?? '']]),
  ) as Readonly<FetchBindingParams>),
  accountSid: schemaExamples.AccountSid[0],
  credentialSid: schemaExamples.CredentialSid[0],
} as const;

/**
 * The Conversation Services a fake is told exist, each checked as the contract's `ChatServiceSid`; a
 * FixtureError naming the first bad one.
 */
export function checkServices(services: unknown, what = 'services'): string[] {
  if (!Array.isArray(services) || !service)
    throw new FixtureError(`${what} must be an array of ${service?.name} values, got ${quoted(services)}`);
  return services.map((value: unknown, index) => checkValue(service, value, `${what}[${index}]`));
}

/**
 * Checks fixtures as the contract's ServiceBinding schema does, plus what a stored binding needs (a
 * `sid` and a `chat_service_sid`, the sid once), as they will be served (their JSON); throws a
 * FixtureError naming the first bad one. Returns what will be served.
 */
export function checkFixtures(bindings: unknown, what = 'bindings', tolerance: Tolerance = {}): Binding[] {
  return checkInstances(model, bindings, what, tolerance).map((k) => k.instance as Binding);
}

let made = 0;

/** A binding's own path: the fetch operation's, for its service and sid. */
export function pathOf(params: FetchBindingParams): string {
  return buildPath(
    model.instanceTemplate ?? '',
    Object.fromEntries(naming.map((p) => [p.name, params[p.key as keyof FetchBindingParams]])),
  );
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
  const chatService = fields.chat_service_sid ?? base.chat_service_sid;
  const url = `${server}${pathOf({ chatServiceSid: String(chatService), sid: String(sid) })}`;
  const created = fields.date_created ?? base.date_created;
  const binding = {
    ...base,
    url,
    date_created: created,
    date_updated: created,
    ...fields,
    sid,
    chat_service_sid: chatService,
  };
  return checkFixtures([binding], 'bindingFor(…)')[0] as Binding;
}

/** The 1.x options of `createBindingsFake` that name bindings and services. */
export interface BindingOptions extends SeedOptions {
  bindings?: readonly BindingFixture[] | undefined;
  services?: readonly string[] | undefined;
}

/**
 * The seed options the 1.x `bindings` and `services` stand for: the Binding resource's instances and
 * parents (given both ways, a FixtureError: one must win, and neither silently).
 */
export function bindingSeed(options: BindingOptions): SeedOptions {
  const { bindings, services, resources: given, parents } = options;
  if (bindings !== undefined && given?.[BINDING] !== undefined)
    throw new FixtureError(`bindings and resources.${BINDING} both name the bindings: give one`);
  if (services !== undefined && parents?.[BINDING] !== undefined)
    throw new FixtureError(`services and parents.${BINDING} both name the services: give one`);
  const named = services && checkServices(services).map((sid) => ({ [service?.key ?? '']: sid }));
  return {
    allowOffContract: options.allowOffContract,
    resources: bindings === undefined ? given : { ...given, [BINDING]: bindings },
    parents: named === undefined ? parents : { ...parents, [BINDING]: named as never },
    labels: bindings === undefined ? {} : { [BINDING]: 'bindings' },
  };
}
