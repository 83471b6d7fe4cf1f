// The package's public types, all derived from generated/schema.d.ts, generated/parameters.d.ts and the
// registry's literal types (none written by hand).
import type { OperationParameters } from '../../generated/parameters.js';
import type { operationRegistry } from '../../generated/registry.js';
import type { components, operations, paths } from '../../generated/schema.js';

/** Each operation's parameters as a named interface (`FetchBindingParams`…), and them all by operationId. */
export type * from '../../generated/parameters.js';
export type { components, operations, paths };

/** A push notification Binding, as the contract's `ServiceBinding` schema describes it. */
export type Binding = components['schemas']['ServiceBinding'];

/** The push technologies the contract allows for `binding_type`. */
export type BindingType = components['schemas']['BindingType'];

/** The body of a Twilio error response (401, 404, 429 and others). */
export type TwilioErrorBody = components['schemas']['TwilioError'];

/** The body of an RFC 9457 problem response, as the contract documents it. */
export type ProblemBody = components['schemas']['Problem'];

/** The contract's operations, by operationId. */
export type OperationId = keyof operations;

type Flatten<T> = { [K in keyof T]: T[K] };
type CamelCased<T> = [T] extends [never] | [undefined]
  ? unknown
  : { [K in keyof T as Uncapitalize<K & string>]: T[K] };
/** Optional, and `undefined` allowed as absent (for `exactOptionalPropertyTypes`). */
type Optional<T> = { [K in keyof T]?: T[K] | undefined };
type Parameters<Id extends OperationId> = operations[Id]['parameters'];

/** An operation's path and query parameters, camel-cased (`ChatServiceSid` → `chatServiceSid`). */
export type ParamsOf<Id extends OperationId> = Flatten<
  CamelCased<NonNullable<Parameters<Id>['path']>> & Optional<CamelCased<NonNullable<Parameters<Id>['query']>>>
>;

/** What each operation is in the registry (generated/registry.js), by operationId, as literal types. */
type Registry = typeof operationRegistry;

/** The operations of one action (`list`, `fetch`, `delete`). */
export type OperationIdOf<Action extends Registry[OperationId]['action']> = {
  [Id in OperationId]: Registry[Id]['action'] extends Action ? Id : never;
}[OperationId];

/** The parameters an operation's method takes: its interface in generated/parameters.d.ts. */
export type OperationParams<Id extends OperationId> = OperationParameters[Id];

type Schema<Name> = Name extends keyof components['schemas'] ? components['schemas'][Name] : never;

/** An operation's resource, as its component schema describes it: what a fetch resolves to, a list yields. */
export type ResourceOf<Id extends OperationId> = Schema<Registry[Id]['resource']>;

/** Where a list's page holds its resources (`bindings`), and the page's schema. */
export type ListOf<Id extends OperationIdOf<'list'>> = NonNullable<Registry[Id]['list']>;

/** A list page's paging metadata, as its page schema describes it. */
export type PageMetaOf<Id extends OperationIdOf<'list'>> =
  Schema<ListOf<Id>['page']> extends { meta: infer Meta } ? Meta : never;

/** An array the client only reads, as readonly: a mutable one, a `readonly` one or an `as const` tuple will do. */
export type Readable<T> = T extends readonly (infer Item)[] ? readonly Item[] : T;
/** A type whose arrays the client only reads: each of them readonly (see Readable). */
type ReadableArrays<T> = { [K in keyof T]: Readable<T[K]> };

/** A binding as bindingParams() reads it: any Binding, its arrays readonly or not. */
export type ReadableBinding = ReadableArrays<Binding>;

/** A list page's paging metadata: where it is, and the absolute URLs of the first, previous and next pages. */
export type BindingsPageMeta = components['schemas']['ListServiceBindingResponseMeta'];

/** The name of a parameter of any operation, camel-cased: what `InvalidParameterError.parameter` holds. */
export type BindingParameterName = { [Id in OperationId]: keyof ParamsOf<Id> }[OperationId] & string;
