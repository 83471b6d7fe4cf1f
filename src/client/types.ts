// The package's public types, all derived from generated/schema.d.ts (none written by hand).
import type { components, operations, paths } from '../../generated/schema.js';

export type { components, operations, paths };

/** A push notification Binding, as the 200 response of FetchServiceBinding describes it. */
export type Binding = components['schemas']['ServiceBinding'];

/** The push technologies the contract allows for `binding_type`. */
export type BindingType = components['schemas']['BindingType'];

/** The body of a Twilio error response (401, 404, 429 and others). */
export type TwilioErrorBody = components['schemas']['TwilioError'];

type PathParameters = operations['FetchServiceBinding']['parameters']['path'];

/** FetchServiceBinding's path parameters, camel-cased: `{ chatServiceSid, sid }`. */
export type FetchBindingParams = {
  [K in keyof PathParameters as Uncapitalize<K & string>]: PathParameters[K];
};

/** The name of one of FetchServiceBinding's path parameters, camel-cased. */
export type BindingParameterName = keyof FetchBindingParams;
