// The package's public types, all derived from generated/schema.d.ts (none written by hand).
import type {
  DeleteServiceBindingParameters,
  FetchServiceBindingParameters,
  ListServiceBindingParameters,
} from '../../generated/parameters.js';
import type { components, operations, paths } from '../../generated/schema.js';

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

// Interfaces, not aliases, so an error or a hover names them (`FetchBindingParams`), not their expansion.

/** FetchServiceBinding's path parameters, camel-cased: `{ chatServiceSid, sid }`. */
export interface FetchBindingParams extends FetchServiceBindingParameters {}

/** An array the client only reads, as readonly: a mutable one, a `readonly` one or an `as const` tuple will do. */
export type Readable<T> = T extends readonly (infer Item)[] ? readonly Item[] : T;
/** A type whose arrays the client only reads: each of them readonly (see Readable). */
type ReadableArrays<T> = { [K in keyof T]: Readable<T[K]> };

/**
 * ListServiceBinding's parameters, camel-cased: `{ chatServiceSid, bindingType?, identity?, pageSize?, … }`.
 * The filters are readonly arrays (the client only reads them): `bindingTypes`, `['gcm'] as const` or a
 * `readonly string[]` are taken as they are.
 */
export interface ListBindingsParams extends ReadableArrays<ListServiceBindingParameters> {}

/** A binding as bindingParams() reads it: any Binding, its arrays readonly or not. */
export type ReadableBinding = ReadableArrays<Binding>;

/** DeleteServiceBinding's path parameters, camel-cased: `{ chatServiceSid, sid }`. */
export interface DeleteBindingParams extends DeleteServiceBindingParameters {}

/** A list page's paging metadata: where it is, and the absolute URLs of the first, previous and next pages. */
export type BindingsPageMeta = components['schemas']['ListServiceBindingResponseMeta'];

/** The name of a parameter of any operation, camel-cased: what `InvalidParameterError.parameter` holds. */
export type BindingParameterName = { [Id in OperationId]: keyof ParamsOf<Id> }[OperationId] & string;
