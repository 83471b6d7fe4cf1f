// Golden test: the public types as released, frozen. A failure here means the contract changed a type
// consumers compile against: review the change, then update these expectations (and the changelog).
import { describe, expectTypeOf, it } from 'vitest';
import type { operationRegistry } from '../../generated/registry.js';
import {
  type Binding,
  type BindingsClient,
  type BindingsPage,
  type BindingsPageMeta,
  type BindingType,
  type CallOptions,
  createBindingsClient,
  type DeleteBindingParams,
  type FetchBindingParams,
  type ListBindingsOptions,
  type ListBindingsParams,
  type OperationId,
  type OperationMethods,
  type OperationParameters,
  type OperationParams,
  type PageOf,
  type PageOptions,
  type ResourceOf,
} from '../../src/client/index.ts';

describe('frozen public types (a failure: the contract changed a public type; review it, then update this file)', () => {
  it('BindingType is exactly the three published push technologies', () => {
    expectTypeOf<BindingType>().toEqualTypeOf<'apn' | 'gcm' | 'fcm'>();
  });

  it('the published nullable fields include null; binding_type does not', () => {
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

  it('listBindings takes the list parameters, camel-cased, and yields Bindings; a page has bindings, meta and next', () => {
    expectTypeOf<ListBindingsParams>().toEqualTypeOf<{
      chatServiceSid: string;
      bindingType?: readonly BindingType[] | undefined;
      identity?: readonly string[] | undefined;
      pageSize?: number | undefined;
      page?: number | undefined;
      pageToken?: string | undefined;
    }>();
    const client = createBindingsClient({ username: 'u', password: 'p' });
    expectTypeOf(client.listBindings).returns.toEqualTypeOf<AsyncIterable<Binding>>();
    expectTypeOf(client.fetchBindingsPage).returns.resolves.toEqualTypeOf<BindingsPage>();
    expectTypeOf<BindingsPage['bindings']>().toEqualTypeOf<Binding[]>();
    expectTypeOf<BindingsPageMeta['next_page_url']>().toEqualTypeOf<string | null>();
    expectTypeOf<BindingsPageMeta['page_size']>().toEqualTypeOf<number>();
  });

  it('deleteBinding takes the path parameters and resolves to nothing', () => {
    expectTypeOf<DeleteBindingParams>().toEqualTypeOf<{ chatServiceSid: string; sid: string }>();
    const client = createBindingsClient({ username: 'u', password: 'p' });
    expectTypeOf(client.deleteBinding).returns.resolves.toEqualTypeOf<void>();
  });

  it('raw types the three operations, and refuses an unknown path or a missing path parameter', () => {
    const { raw } = createBindingsClient({ username: 'u', password: 'p' });
    const ChatServiceSid = 'ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const Sid = 'BSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const path = '/v1/Services/{ChatServiceSid}/Bindings/{Sid}';
    // The right calls compile:
    expectTypeOf(raw.GET(path, { params: { path: { ChatServiceSid, Sid } } })).toBeObject();
    expectTypeOf(raw.DELETE(path, { params: { path: { ChatServiceSid, Sid } } })).toBeObject();
    expectTypeOf(
      raw.GET('/v1/Services/{ChatServiceSid}/Bindings', {
        params: { path: { ChatServiceSid }, query: { BindingType: ['apn'], PageSize: 50 } },
      }),
    ).toBeObject();
    // @ts-expect-error: no PUT on the item path
    raw.PUT(path, { params: { path: { ChatServiceSid, Sid } } });
    // @ts-expect-error: not a path of the contract
    raw.GET('/v1/Services/{ChatServiceSid}/Binding', { params: { path: { ChatServiceSid } } });
    // @ts-expect-error: Sid is missing
    raw.GET(path, { params: { path: { ChatServiceSid } } });
    // @ts-expect-error: no path parameters at all
    raw.GET(path);
  });
});

describe('the methods come from the registry: one per operation, typed by the contract (a failure: the contract changed them)', () => {
  // (Held as what the Binding operations must keep: the drill adds operations, and this file compiles there too.)
  it('names a method per operation by the rule, a page method per list, and raw: nothing else', () => {
    type Registry = typeof operationRegistry;
    type Named = Registry[OperationId]['methodName'] | NonNullable<Registry[OperationId]['pageMethodName']>;
    expectTypeOf<Named>().toExtend<keyof OperationMethods>();
    expectTypeOf<keyof OperationMethods>().toExtend<Named>();
    expectTypeOf<'fetchBinding' | 'listBindings' | 'fetchBindingsPage' | 'deleteBinding'>().toExtend<
      keyof OperationMethods
    >();
    expectTypeOf<Exclude<keyof BindingsClient, keyof OperationMethods>>().toEqualTypeOf<'raw'>();
  });

  it("types each method by its operation's parameters, resource and page, which are the 1.x names", () => {
    expectTypeOf<
      Pick<OperationParameters, 'DeleteServiceBinding' | 'FetchServiceBinding' | 'ListServiceBinding'>
    >().toEqualTypeOf<{
      DeleteServiceBinding: DeleteBindingParams;
      FetchServiceBinding: FetchBindingParams;
      ListServiceBinding: ListBindingsParams;
    }>();
    expectTypeOf<OperationParams<'FetchServiceBinding'>>().toEqualTypeOf<FetchBindingParams>();
    expectTypeOf<ResourceOf<'ListServiceBinding'>>().toEqualTypeOf<Binding>();
    expectTypeOf<PageOf<'ListServiceBinding'>>().toEqualTypeOf<BindingsPage>();
    expectTypeOf<BindingsPage['meta']>().toEqualTypeOf<BindingsPageMeta>();
    expectTypeOf<OperationMethods['fetchBinding']>().toEqualTypeOf<
      (params: FetchBindingParams, options?: CallOptions) => Promise<Binding>
    >();
    expectTypeOf<OperationMethods['listBindings']>().toEqualTypeOf<
      (params: ListBindingsParams, options?: ListBindingsOptions) => AsyncIterable<Binding>
    >();
    expectTypeOf<OperationMethods['fetchBindingsPage']>().toEqualTypeOf<
      (params: ListBindingsParams, options?: PageOptions) => Promise<BindingsPage>
    >();
    expectTypeOf<OperationMethods['deleteBinding']>().toEqualTypeOf<
      (params: DeleteBindingParams, options?: CallOptions) => Promise<void>
    >();
  });

  it('refuses a misspelt parameter, a wrong SID type and an unknown method, as it did', () => {
    const client = createBindingsClient({ username: 'u', password: 'p' });
    // @ts-expect-error: chatServiceSid is missing
    client.fetchBinding({ sid: 'BS' });
    // @ts-expect-error: a SID is a string
    client.deleteBinding({ chatServiceSid: 'IS', sid: 1 });
    // @ts-expect-error: not a value of the enum
    client.listBindings({ chatServiceSid: 'IS', bindingType: ['twilsock'] });
    // @ts-expect-error: no such operation
    client.fetchBindings({ chatServiceSid: 'IS' });
  });
});
