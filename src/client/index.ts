// The package root: the client, its errors, and the contract's types.
export {
  type BindingsClient,
  type BindingsClientOptions,
  createBindingsClient,
  DEFAULT_TIMEOUT_MS,
  type FetchBindingOptions,
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
export type { RetryOptions } from './retry.js';
export type {
  Binding,
  BindingParameterName,
  BindingType,
  components,
  FetchBindingParams,
  OperationId,
  operations,
  ParamsOf,
  ProblemBody,
  paths,
  TwilioErrorBody,
} from './types.js';
