// verify against single-fault services generated from the contract (test/support/single-faults.ts): each
// documented header, status and media type of each operation's answers that a run exercises, and the
// credentials of each operation, broken one at a time in front of the stateful fake. Each is caught (exit
// status 1) by a finding that names the operation broken.
import { describe, expect, it } from 'vitest';
import { operationRegistry } from '../../generated/registry.js';
import { verify } from '../../src/cli/verify.ts';
import { exitOf } from '../../src/cli/verify-command.ts';
import type { OperationId } from '../../src/client/index.ts';
import { bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample } from '../support/contract.ts';
import { faulty, responseKey, type SingleFault, singleFaults } from '../support/single-faults.ts';

const deletable = bindingFor({});
const { resource } = operationRegistry.DeleteServiceBinding;

/** A run of verify (in process, through the fake's handler) against the fake with one fault, or none. */
function run(fault?: SingleFault, seen?: (op: OperationId, status: number) => void) {
  const fake = createBindingsFake({
    bindings: [bindingExample, deletable, bindingFor({ identity: 'Another' })],
    recordCoverage: false,
  });
  return verify({
    ...{ baseUrl: 'http://fake.invalid', ...fake.credentials, seed: 5, timeoutMs: 5000, mock: false },
    ...{ maxPages: 5, pageSize: 50, maxResponseBytes: 1 << 20 },
    instances: { deletable: { [resource]: deletable.sid as string } },
    fetch: faulty((request) => fake.handle(request), fake.credentials, fault, seen),
  });
}

// What a run against the faithful fake exercises: each operation's documented outcomes it answered.
const observed = new Map<OperationId, Set<string>>();
const faithful = await run(undefined, (op, status) => {
  observed.set(op, (observed.get(op) ?? new Set()).add(responseKey(op, status)));
});
const faults = singleFaults(observed);

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
      const report = await run(fault);
      expect(exitOf(report), JSON.stringify(report.checks.filter((c) => c.status !== 'pass'))).toBe(1);
      const named = report.checks.flatMap((c) => c.evidence).filter((e) => e.operation === fault.operation);
      expect(named.length).toBeGreaterThan(0);
    },
  );
});
