// Type tests: the generated types say what the contract says, and the raw client refuses wrong calls.
import { describe, expectTypeOf, it } from 'vitest';
import { operation } from '../../generated/contract.js';
import {
  type Binding,
  type BindingType,
  createBindingsClient,
  type FetchBindingParams,
} from '../../src/client/index.ts';

describe('generated types', () => {
  it('BindingType is exactly the three push technologies', () => {
    expectTypeOf<BindingType>().toEqualTypeOf<'apn' | 'gcm' | 'fcm'>();
  });

  it('the nullable fields of SEED.md include null; binding_type does not', () => {
    type NullableKeys = { [K in keyof Binding]-?: null extends Binding[K] ? K : never }[keyof Binding];
    expectTypeOf<NullableKeys>().toEqualTypeOf<
      | 'sid'
      | 'account_sid'
      | 'chat_service_sid'
      | 'credential_sid'
      | 'date_created'
      | 'date_updated'
      | 'endpoint'
      | 'identity'
      | 'message_types'
      | 'url'
    >();
    expectTypeOf<Binding['sid']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<Binding['message_types']>().toEqualTypeOf<string[] | null | undefined>();
    expectTypeOf<Binding['binding_type']>().toEqualTypeOf<BindingType | undefined>();
  });

  it('fetchBinding takes camel-cased path parameters and resolves to a Binding', () => {
    expectTypeOf<FetchBindingParams>().toEqualTypeOf<{ chatServiceSid: string; sid: string }>();
    const client = createBindingsClient({ username: 'u', password: 'p' });
    expectTypeOf(client.fetchBinding).returns.resolves.toEqualTypeOf<Binding>();
  });

  it('raw.GET refuses an unknown path and a missing path parameter', () => {
    const { raw } = createBindingsClient({ username: 'u', password: 'p' });
    const ChatServiceSid = 'ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const Sid = 'BSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    // The right call compiles:
    expectTypeOf(raw.GET(operation.path, { params: { path: { ChatServiceSid, Sid } } })).toBeObject();
    // @ts-expect-error: not a path of the contract
    raw.GET('/v1/Services/{ChatServiceSid}/Bindings', { params: { path: { ChatServiceSid } } });
    // @ts-expect-error: Sid is missing
    raw.GET(operation.path, { params: { path: { ChatServiceSid } } });
    // @ts-expect-error: no path parameters at all
    raw.GET(operation.path);
  });
});
