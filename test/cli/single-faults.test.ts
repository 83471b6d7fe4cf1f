// verify against single-fault services generated from the contract (test/support/single-faults.ts): each
// documented header, status and media type of each operation's answers that a run exercises, and the
// credentials of each operation, broken one at a time in front of the stateful fake, each caught (exit
// status 1) by a finding that names the operation broken; and each list and state rule of the registry
// broken (test/support/rule-faults.ts), the share caught measured and its misses listed.
import { describe, expect, it } from 'vitest';
import { operationRegistry } from '../../generated/registry.js';
import { verify } from '../../src/cli/verify.ts';
import { exitOf } from '../../src/cli/verify-command.ts';
import type { Binding, OperationId } from '../../src/client/index.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample, bindingTypes } from '../support/contract.ts';
import { ruleFaults } from '../support/rule-faults.ts';
import { faulty, responseKey, type SingleFault, singleFaults } from '../support/single-faults.ts';

const deletable = bindingFor({});
const { resource } = operationRegistry.DeleteServiceBinding;
/** Another binding type than the example's, so a filter ignored lists what it should not. */
const otherType = bindingTypes.find((t) => t !== bindingExample.binding_type) as Binding['binding_type'];

/** A run of verify (in process, through the fake's handler) against the fake with one fault, or none. */
function run(fault?: SingleFault, seen?: (op: OperationId, status: number) => void) {
  const fake = createBindingsFake({
    bindings: [
      bindingExample,
      deletable,
      bindingFor({ identity: 'Another' }),
      bindingFor({ identity: bindingExample.identity, binding_type: otherType }),
    ],
    recordCoverage: false,
  });
  return verify({
    ...{ baseUrl: 'http://fake.invalid', ...fake.credentials, seed: 5, timeoutMs: 5000, mock: false },
    ...{ maxPages: 5, pageSize: 50, maxResponseBytes: 1 << 20 },
    instances: { deletable: { [resource]: deletable.sid as string } },
    fetch: faulty((request) => fake.handle(request), fake.credentials, fault, seen, fake),
  });
}

/** Each fault's run, made once: the test of each fault and the share over all of them judge the same run. */
const runs = new Map<SingleFault, ReturnType<typeof run>>();
function runOnce(fault: SingleFault) {
  const made = runs.get(fault) ?? run(fault);
  runs.set(fault, made);
  return made;
}

// What a run against the faithful fake exercises: each operation's documented outcomes it answered.
const observed = new Map<OperationId, Set<string>>();
const faithful = await run(undefined, (op, status) => {
  observed.set(op, (observed.get(op) ?? new Set()).add(responseKey(op, status)));
});
const faults = singleFaults(observed);
const rules = ruleFaults();

/** The share of the generated single-fault services this run of verify catches (exit status 1). */
const GOAL = 0.95;

describe('single faults generated from the contract', () => {
  it('the faithful fake passes; every operation is sent no credentials (401) and its success is exercised', () => {
    expect(exitOf(faithful)).toBe(0);
    for (const op of Object.values(operationRegistry)) {
      expect(observed.get(op.id as OperationId), op.id).toContain(String(op.success.status));
      expect(observed.get(op.id as OperationId), op.id).toContain('401');
    }
    // Every operation's CORS headers (its success's documented headers) are among the faults.
    expect(
      faults.filter((f) => f.name.includes('drops Access-Control-Allow-Origin')).map((f) => f.operation),
    ).toEqual(expect.arrayContaining(['ListServiceBinding', 'FetchServiceBinding']));
    expect(faults.length).toBeGreaterThan(20);
  });

  it.each(faults.map((f) => [f.name, f] as const))(
    '%s: caught, naming the operation',
    async (_name, fault) => {
      const report = await runOnce(fault);
      expect(exitOf(report), JSON.stringify(report.checks.filter((c) => c.status !== 'pass'))).toBe(1);
      const named = report.checks.flatMap((c) => c.evidence).filter((e) => e.operation === fault.operation);
      expect(named.length).toBeGreaterThan(0);
    },
  );
});

describe('list and state rules broken one at a time, generated from the registry', () => {
  it(`verify catches at least ${GOAL * 100}% of every generated single-fault service, naming the operation; the misses are listed`, async () => {
    const kinds = new Set(rules.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['list', 'state']);
    const all = [...faults, ...rules];
    const missed: string[] = [];
    for (const fault of all) {
      const report = await runOnce(fault);
      const named = report.checks.flatMap((c) => c.evidence).some((e) => e.operation !== undefined);
      if (exitOf(report) !== 1 || !named) missed.push(fault.name);
    }
    const share = (all.length - missed.length) / all.length;
    console.info(
      `caught ${all.length - missed.length} of ${all.length} (${(share * 100).toFixed(1)}%); missed: ${missed.join('; ') || 'none'}`,
    );
    expect(share, `missed: ${missed.join('; ')}`).toBeGreaterThanOrEqual(GOAL);
  }, 60_000);
});
