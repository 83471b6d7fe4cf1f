// The package root: the client, its errors, and the contract's types.

/** Each operation's parameters as a named interface (`FetchBindingParams`, `ListBindingsParams`…). */
export type * from '../../generated/parameters.js';
export { bindingParams } from './binding-params.js';
export { bindingTypes, isBindingType } from './binding-types.js';
export {
  type BindingsClient,
  createBindingsClient,
  type FetchBindingOptions,
  type RawClient,
} from './client.js';
export {
  ApiError,
  BindingsError,
  ContractViolationError,
  InvalidParameterError,
  MAX_VIOLATIONS,
  NetworkError,
  TimeoutError,
  type Violation,
} from './errors.js';
export { DEFAULT_MAX_PAGES, MAX_EMPTY_PAGES } from './listing.js';
export type {
  BindingsPage,
  CallOptions,
  ListBindingsOptions,
  OperationMethods,
  PageOf,
  PageOptions,
} from './method-types.js';
export { type BindingsClientOptions, DEFAULT_TIMEOUT_MS } from './options.js';
export type { RetryOptions } from './retry.js';
export type {
  Binding,
  BindingParameterName,
  BindingsPageMeta,
  BindingType,
  components,
  ListOf,
  OperationId,
  OperationIdOf,
  OperationParams,
  operations,
  PageMetaOf,
  ParamsOf,
  ProblemBody,
  paths,
  ResourceOf,
  TwilioErrorBody,
} from './types.js';
