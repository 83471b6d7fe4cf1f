// A model-based test of the stateful fake (fast-check commands): random runs of list, fetch, delete and
// injected faults against a model that is just a Map of the bindings held, on bindings drawn from the
// contract's arbitraries. After each command the fake and the model agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parameterRules } from '../../generated/contract.js';
import {
  ApiError,
  type Binding,
  type BindingType,
  bindingTypes,
  createBindingsClient,
} from '../../src/client/index.ts';
import { storedBindings, validOf } from '../../src/testing/arbitraries.ts';
import { type BindingsFake, createBindingsFake } from '../../src/testing/index.ts';
import { exampleSids, statusOf } from '../support/contract.ts';

interface Model {
  held: Map<string, Binding>;
}
interface Real {
  fake: BindingsFake;
  client: ReturnType<typeof createBindingsClient>;
}
const service = exampleSids.chatServiceSid;

class List implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pageSize: number,
    readonly type: BindingType | undefined,
  ) {}
  check = () => true;
  async run(model: Model, { client }: Real) {
    const listed: Binding[] = [];
    const params = {
      chatServiceSid: service,
      pageSize: this.pageSize,
      ...(this.type && { bindingType: [this.type] }),
    };
    for await (const b of client.listBindings(params)) listed.push(b);
    expect(listed).toStrictEqual(
      [...model.held.values()].filter((b) => !this.type || b.binding_type === this.type),
    );
  }
  toString = () => `list(pageSize ${this.pageSize}${this.type ? `, ${this.type}` : ''})`;
}

class Fetch implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly unknownSid: string,
  ) {}
  check = () => true;
  async run(model: Model, { client }: Real) {
    const sids = [...model.held.keys()];
    const sid = sids.length && this.pick >= 0 ? (sids[this.pick % sids.length] as string) : this.unknownSid;
    const got = await client.fetchBinding({ chatServiceSid: service, sid }).catch((e) => e);
    if (model.held.has(sid)) expect(got).toStrictEqual(model.held.get(sid));
    else expect(got).toMatchObject({ status: statusOf('NotFound') });
  }
  toString = () => `fetch(${this.pick})`;
}

class Delete implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly unknownSid: string,
  ) {}
  check = () => true;
  async run(model: Model, { client }: Real) {
    const sids = [...model.held.keys()];
    const sid = sids.length && this.pick >= 0 ? (sids[this.pick % sids.length] as string) : this.unknownSid;
    const done = await client.deleteBinding({ chatServiceSid: service, sid }).then(
      () => 'deleted',
      (e) => e,
    );
    if (model.held.delete(sid)) expect(done).toBe('deleted');
    else expect(done).toBeInstanceOf(ApiError);
  }
  toString = () => `delete(${this.pick})`;
}

class Inject implements fc.AsyncCommand<Model, Real> {
  constructor(readonly status: 429 | 500 | 503) {}
  check = () => true;
  async run(_model: Model, { fake }: Real) {
    // Retried by the client (429 and 5xx are retryable, and it tries more times than a run injects).
    fake.inject({ status: this.status });
  }
  toString = () => `inject(${this.status})`;
}

describe('the fake against a model of what it holds', () => {
  it('agrees with a Map of its bindings after any run of list, fetch, delete and faults', async () => {
    const sid = validOf({ ref: 'BindingSid' }) as fc.Arbitrary<string>;
    const { minimum = 1, maximum = 100 } = parameterRules.PageSize;
    const commands = [
      fc
        .tuple(
          fc.integer({ min: minimum, max: Math.min(maximum, 4) }),
          fc.option(fc.constantFrom(...bindingTypes), { nil: undefined }),
        )
        .map(([size, type]) => new List(size, type)),
      fc.tuple(fc.integer({ min: -1, max: 20 }), sid).map(([pick, unknown]) => new Fetch(pick, unknown)),
      fc.tuple(fc.integer({ min: -1, max: 20 }), sid).map(([pick, unknown]) => new Delete(pick, unknown)),
      fc.constantFrom(429 as const, 500 as const, 503 as const).map((status) => new Inject(status)),
    ];
    await fc.assert(
      fc.asyncProperty(
        storedBindings({ maxLength: 8 }),
        fc.commands(commands, { maxCommands: 25 }),
        async (bindings, run) => {
          const fake = createBindingsFake({ bindings });
          const client = createBindingsClient({
            ...fake.credentials,
            fetch: fake.fetch,
            retry: { maxAttempts: 30, baseDelayMs: 0, maxDelayMs: 0 },
          });
          const model: Model = { held: new Map(bindings.map((b) => [b.sid as string, b])) };
          await fc.asyncModelRun(() => ({ model, real: { fake, client } }), run);
        },
      ),
      { numRuns: 40, seed: 14 },
    );
  });
});
