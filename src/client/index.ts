// The package root: the client, its errors, and the contract's types.
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
  NetworkError,
  TimeoutError,
  type Violation,
} from './errors.js';
export {
  type BindingsPage,
  DEFAULT_MAX_PAGES,
  type ListBindingsOptions,
  MAX_EMPTY_PAGES,
  type PageOptions,
} from './listing.js';
export { type BindingsClientOptions, DEFAULT_TIMEOUT_MS } from './options.js';
export { MAX_VIOLATIONS } from './response.js';
export type { RetryOptions } from './retry.js';
export type {
  Binding,
  BindingParameterName,
  BindingsPageMeta,
  BindingType,
  components,
  DeleteBindingParams,
  FetchBindingParams,
  ListBindingsParams,
  OperationId,
  operations,
  ParamsOf,
  ProblemBody,
  paths,
  TwilioErrorBody,
} from './types.js';
