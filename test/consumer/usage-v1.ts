// The public API as released in 1.0.0, frozen. It is compiled against every new build: when it stops
// compiling, the change is breaking and needs a major version. Do not edit it to make a build pass.
import {
  ApiError,
  type Binding,
  type BindingParameterName,
  type BindingsClient,
  type BindingsClientOptions,
  BindingsError,
  type BindingType,
  ContractViolationError,
  type components,
  createBindingsClient,
  DEFAULT_TIMEOUT_MS,
  type FetchBindingOptions,
  type FetchBindingParams,
  InvalidParameterError,
  NetworkError,
  type operations,
  type paths,
  type RetryOptions,
  TimeoutError,
  type TwilioErrorBody,
  type Violation,
} from 'conversations-bindings-contract';
import type * as Types from 'conversations-bindings-contract/types';

const retry: RetryOptions = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 10_000 };
const options: BindingsClientOptions = {
  username: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  password: 'token',
  baseUrl: 'https://conversations.twilio.com',
  fetch: globalThis.fetch,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  retry,
  validateResponse: true,
  userAgent: 'consumer/1.0',
};
const client: BindingsClient = createBindingsClient(options);
createBindingsClient({ username: 'u', password: 'p', retry: false });

export async function usage(signal: AbortSignal): Promise<string | null | undefined> {
  const params: FetchBindingParams = { chatServiceSid: 'IS…', sid: 'BS…' };
  const call: FetchBindingOptions = { signal };
  try {
    const binding: Binding = await client.fetchBinding(params, call);
    const type: BindingType | undefined = binding.binding_type;
    const fields: (string | null | undefined)[] = [
      binding.sid,
      binding.account_sid,
      binding.chat_service_sid,
      binding.credential_sid,
      binding.date_created,
      binding.date_updated,
      binding.endpoint,
      binding.identity,
      binding.url,
      type,
    ];
    const messageTypes: string[] | null | undefined = binding.message_types;
    return fields.join() + String(messageTypes);
  } catch (error) {
    if (error instanceof InvalidParameterError) {
      const name: BindingParameterName = error.parameter;
      return `${name} ${error.expected} ${error.attempts}`;
    }
    if (error instanceof ApiError) {
      const code: number | undefined = error.code;
      const moreInfo: string | undefined = error.moreInfo;
      const rest: unknown[] = [error.details, error.body];
      return `${error.status} ${code} ${moreInfo} ${rest.length} ${error.attempts}`;
    }
    if (error instanceof ContractViolationError) {
      const violations: Violation[] = error.violations;
      return `${error.status} ${violations.map((v) => `${v.path} ${v.message}`)} ${String(error.body)}`;
    }
    if (error instanceof TimeoutError) return `${error.timeoutMs} ${error.attempts}`;
    if (error instanceof NetworkError) return String(error.cause);
    if (error instanceof BindingsError) return `${error.name} ${error.message} ${error.attempts}`;
    throw error;
  }
}

export async function raw(): Promise<Binding | undefined> {
  const { data, error, response } = await client.raw.GET('/v1/Services/{ChatServiceSid}/Bindings/{Sid}', {
    params: { path: { ChatServiceSid: 'IS…', Sid: 'BS…' } },
  });
  const body: TwilioErrorBody | undefined = response.status === 404 ? (error as TwilioErrorBody) : undefined;
  return body ? undefined : data;
}

type ServiceBinding = components['schemas']['ServiceBinding'];
type Operation = operations['FetchServiceBinding'];
type Path = paths['/v1/Services/{ChatServiceSid}/Bindings/{Sid}'];
type FromTypesEntry = [Types.Binding, Types.BindingType, Types.paths, Types.components, Types.operations];
export type Used = [ServiceBinding, Operation, Path, FromTypesEntry];
