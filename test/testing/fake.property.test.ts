// Property test of the fake's state: random sequences of list, fetch and delete calls (through this
// package's client, so every answer is also checked against the contract on arrival) keep the invariants
// a consumer relies on, compared with a plain model of what the fake holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parameterRules } from '../../generated/contract.js';
import { validateListServiceBindingResponse, validateServiceBinding } from '../../generated/validators.js';
import { ApiError, type Binding, type BindingType, createBindingsClient } from '../../src/client/index.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { bindingTypes, exampleSids, statusOf, validSid } from '../support/contract.ts';

type Call =
  | { kind: 'list'; types: BindingType[]; identities: string[]; pageSize: number }
  | { kind: 'fetch' | 'delete'; index: number };

const identities = ['ann', 'bob', 'cy'];
const services = [exampleSids.chatServiceSid, `${exampleSids.chatServiceSid.slice(0, -1)}f`];

const bindingArb = fc.record({
  sid: validSid('Sid'),
  chat_service_sid: fc.constantFrom(...services),
  binding_type: fc.constantFrom(...(bindingTypes as BindingType[])),
  identity: fc.constantFrom(...identities),
});

const callArb: fc.Arbitrary<Call> = fc.oneof(
  fc.record({
    kind: fc.constant('list' as const),
    types: fc.subarray(bindingTypes as BindingType[]),
    identities: fc.subarray(identities),
    pageSize: fc.integer({ min: parameterRules.PageSize.minimum, max: 4 }),
  }),
  fc.record({ kind: fc.constantFrom('fetch' as const, 'delete' as const), index: fc.nat() }),
);

describe('the fake under random sequences of calls', () => {
  it('never serves a deleted binding, never lists one twice, and its walks concatenate to the filtered state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(bindingArb, { minLength: 1, maxLength: 12, selector: (b) => b.sid.toLowerCase() }),
        fc.array(callArb, { minLength: 1, maxLength: 25 }),
        async (seeds, calls) => {
          const initial = seeds.map((fields) => bindingFor(fields));
          // Both services exist, whichever of them the bindings drawn are in.
          const fake = createBindingsFake({ bindings: initial, services });
          const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
          let model = [...initial];
          const deleted = new Set<string>();
          for (const call of calls) {
            if (call.kind === 'list') {
              const [service] = services as [string];
              const query = {
                chatServiceSid: service,
                pageSize: call.pageSize,
                ...(call.types.length && { bindingType: call.types }),
                ...(call.identities.length && { identity: call.identities }),
              };
              const listed: Binding[] = [];
              let page = await client.fetchBindingsPage(query);
              for (;;) {
                expect(validateListServiceBindingResponse({ bindings: page.bindings, meta: page.meta })).toBe(
                  true,
                );
                expect(page.bindings.length).toBeLessThanOrEqual(call.pageSize);
                listed.push(...page.bindings);
                const next = await page.next();
                if (!next) break;
                page = next;
              }
              const sids = listed.map((b) => b.sid);
              expect(new Set(sids).size).toBe(sids.length);
              for (const sid of sids) expect(deleted.has(sid as string)).toBe(false);
              expect(listed).toStrictEqual(
                model.filter(
                  (b) =>
                    b.chat_service_sid === service &&
                    (!call.types.length || call.types.includes(b.binding_type as BindingType)) &&
                    (!call.identities.length || call.identities.includes(b.identity as string)),
                ),
              );
              continue;
            }
            const target = initial[call.index % initial.length] as Binding;
            const params = { chatServiceSid: target.chat_service_sid as string, sid: target.sid as string };
            const held = model.some((b) => b.sid === target.sid);
            const outcome =
              call.kind === 'fetch'
                ? await client.fetchBinding(params).catch((e: unknown) => e)
                : await client.deleteBinding(params).then(
                    () => 'deleted',
                    (e: unknown) => e,
                  );
            if (held) {
              if (call.kind === 'fetch') {
                expect(outcome).toStrictEqual(target);
                expect(validateServiceBinding(outcome)).toBe(true);
              } else {
                expect(outcome).toBe('deleted');
                model = model.filter((b) => b.sid !== target.sid);
                deleted.add(target.sid as string);
              }
            } else {
              // Never served (or deleted) again: the not-found error, whatever happened before.
              expect(outcome).toBeInstanceOf(ApiError);
              expect((outcome as ApiError).status).toBe(statusOf('NotFound'));
            }
          }
          expect(fake.bindings).toStrictEqual(model);
        },
      ),
      { numRuns: 60 },
    );
  });
});
