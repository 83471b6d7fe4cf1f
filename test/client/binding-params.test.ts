// bindingParams: the parameters that address a binding the service returned, checked by the contract's
// path parameter rules; a binding whose SIDs are missing or malformed is an InvalidParameterError, and
// nothing is sent.
import { describe, expect, it } from 'vitest';
import { parameterFields, parameterOf } from '../../generated/contract.js';
import {
  type Binding,
  bindingParams,
  createBindingsClient,
  InvalidParameterError,
} from '../../src/client/index.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample, invalidSids } from '../support/contract.ts';

describe('bindingParams', () => {
  it("takes a binding's SIDs from the fields the contract says hold them, for fetch and delete", async () => {
    const fake = createBindingsFake();
    const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
    const all: Binding[] = [];
    for await (const b of client.listBindings({ chatServiceSid: bindingExample.chat_service_sid as string }))
      all.push(b);
    const [listed] = all;
    const params = bindingParams(listed as Binding);
    expect(params).toEqual({ chatServiceSid: bindingExample.chat_service_sid, sid: bindingExample.sid });
    await expect(client.fetchBinding(params)).resolves.toStrictEqual(bindingExample);
    await client.deleteBinding(bindingParams(listed as Binding));
    expect(fake.bindings.map((b) => b.sid)).not.toContain(bindingExample.sid);
  });

  it('takes a binding whose arrays are readonly (it only reads the binding)', () => {
    // Gave TS4104: a readonly message_types is not assignable to the mutable one of Binding.
    const held: Readonly<Omit<Binding, 'message_types'>> & {
      readonly message_types: readonly string[] | null;
    } = Object.freeze({
      ...bindingExample,
      message_types: Object.freeze([...(bindingExample.message_types ?? [])]),
    });
    expect(bindingParams(held)).toEqual({
      chatServiceSid: bindingExample.chat_service_sid,
      sid: bindingExample.sid,
    });
  });

  it.each(
    Object.entries(parameterFields.FetchServiceBinding).flatMap(([key, field]) => [
      [key, field, null],
      [key, field, undefined],
      [key, field, invalidSids(key === 'sid' ? 'Sid' : 'ChatServiceSid')['one character short']],
    ]),
  )('%s from a binding whose %s is %j: InvalidParameterError naming it and its rule', (key, field, value) => {
    const binding = { ...bindingExample, [field]: value } as Binding;
    const error = (() => {
      try {
        bindingParams(binding);
      } catch (e) {
        return e;
      }
    })() as InvalidParameterError;
    expect(error).toBeInstanceOf(InvalidParameterError);
    expect(error.parameter).toBe(key);
    expect(error.expected).toBe(parameterOf.FetchServiceBinding[key as 'sid'].expected);
  });
});
