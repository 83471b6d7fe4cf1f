// The checks of a resource's instances, on every operation of the registry they fit: a known one fetched,
// an unknown one answered 404, the first page listed, and (only on an instance the caller named) a delete
// that sticks: not served, not listed, not deleted twice. Their words are the contract's, per action.
import { statusCodes } from '../../generated/contract.js';
import { anyOf, type OperationCheck } from './check.js';
import { flagOf, knownSid, pathOf, unknownSid } from './instances.js';
import { answered, destructive, stateless } from './judging.js';
import { nounOfId, nounsFor, operation, resources, sibling, successFor } from './operations.js';
import { WalkState, walk } from './walk.js';

const NOT_FOUND = statusCodes.NotFound;
const successOf = (x: { operation: Parameters<typeof operation>[0] }) =>
  operation(x.operation).success.status;
const deleteFlags = resources
  .filter((r) => r.operations.delete)
  .map((r) => flagOf('deletable', r.schema))
  .join(' or ');

export const knownInstance: OperationCheck = {
  name: 'known_binding',
  severity: 'error',
  title: `The known ${nounsFor('fetch')}: ${successFor('fetch', 'status')}, ${successFor('fetch', 'mediaType')}, a conforming body, the documented headers`,
  proves: `The known instance of each resource (named, else the first listed, else the contract's example) answers its fetch's ${successFor('fetch', 'status')}, ${successFor('fetch', 'mediaType')}, a body that conforms to its schema (formats included), and every documented response header.`,
  skipsWhen: 'when no instance of the resource is known (none named, listed, or shown by the contract)',
  on: ['fetch'],
  async probe({ send, operation: op, instances, facts }) {
    const x = await send({ operation: op.id, path: pathOf(op, instances, knownSid(op, instances)) });
    if (x.status === op.success.status && typeof x.body === 'object' && x.body !== null)
      facts.known[op.resource] = x.body as Record<string, unknown>;
  },
  judge: (x) => answered(x, [successOf(x)]),
};

export const unknownInstance: OperationCheck = {
  name: 'unknown_binding',
  severity: 'error',
  title: `An unknown ${nounsFor('fetch')}: ${NOT_FOUND} with a conforming error body`,
  proves: `A valid but unknown SID (random) answers ${NOT_FOUND} with a conforming error body, fetched and deleted (a SID the target does not hold: nothing is deleted).`,
  skip: stateless,
  on: ['fetch', 'delete'],
  probe: (probe) =>
    probe.send({
      operation: probe.operation.id,
      path: pathOf(
        probe.operation,
        probe.instances,
        unknownSid(probe.operation, probe.instances, probe.random),
      ),
    }),
  judge: (x) => answered(x, [NOT_FOUND], `${NOT_FOUND} for a ${nounOfId(x.operation)} that does not exist`),
};

export const firstPage: OperationCheck = {
  name: 'list_bindings',
  severity: 'error',
  title: `The first page of ${nounsFor('list', true)}: ${successFor('list', 'status')}, ${successFor('list', 'mediaType')}, a conforming body`,
  proves: `The first page of each list answers ${successFor('list', 'status')}, ${successFor('list', 'mediaType')}, a body that conforms to its schema, and every documented response header.`,
  on: ['list'],
  probe: ({ send, operation: op, instances }) => send({ operation: op.id, path: pathOf(op, instances) }),
  judge: (x) => answered(x, [successOf(x)]),
};

/** The path of the instance the caller named for deletion, on an operation of its resource. */
const deleting = (probe: Parameters<OperationCheck['probe']>[0], action: 'fetch' | 'delete') => {
  const op = action === 'delete' ? probe.operation : (sibling(probe.operation, action) ?? probe.operation);
  return { operation: op.id, path: pathOf(op, probe.instances, probe.instances.deletable[op.resource]) };
};

export const deleteInstance: OperationCheck = {
  name: 'delete_binding',
  severity: 'error',
  title: `Deleting the ${nounsFor('delete')} named by ${deleteFlags}: ${successFor('delete', 'status')}, ${successFor('delete', 'mediaType')}`,
  proves: `With ${deleteFlags}: deleting it answers ${successFor('delete', 'status')} with ${successFor('delete', 'mediaType')}.`,
  skip: destructive,
  on: ['delete'],
  probe: (probe) => probe.send(deleting(probe, 'delete')),
  judge: (x) => answered(x, [successOf(x)]),
};

export const useAfterFree: OperationCheck = {
  name: 'use_after_free',
  severity: 'error',
  title: `The deleted ${nounsFor('delete')} is not served: ${NOT_FOUND}`,
  proves: `Then fetching it answers ${NOT_FOUND}: a deleted instance is not served.`,
  skip: anyOf(destructive, stateless),
  needs: 'delete_binding',
  on: ['delete'],
  fits: (op) => sibling(op, 'fetch') !== undefined,
  probe: (probe) => probe.send(deleting(probe, 'fetch')),
  judge: (x) => answered(x, [NOT_FOUND], `${NOT_FOUND} for a ${nounOfId(x.operation)} that was deleted`),
};

export const deletedNotListed: OperationCheck<WalkState> = {
  name: 'deleted_not_listed',
  severity: 'error',
  title: `The deleted ${nounsFor('delete')} leaves the list`,
  proves: 'Then the list walk no longer holds it.',
  skip: anyOf(destructive, stateless),
  needs: 'delete_binding',
  on: ['delete'],
  fits: (op) => sibling(op, 'list') !== undefined,
  probe: (probe) => walk(probe, sibling(probe.operation, 'list')),
  begin: (probe) =>
    new WalkState(sibling(probe.operation, 'list') ?? probe.operation, {
      deleted: probe.instances.deletable[probe.operation.resource],
    }),
  judge: (x, state) => [...state.page(x), ...state.stillListed(x)],
  conclude: (state, options) => state.end(options),
};

export const deleteTwice: OperationCheck = {
  name: 'delete_twice',
  severity: 'error',
  title: `Deleting it again: ${NOT_FOUND}`,
  proves: `Then deleting it again answers ${NOT_FOUND}.`,
  skip: anyOf(destructive, stateless),
  needs: 'delete_binding',
  on: ['delete'],
  probe: (probe) => probe.send(deleting(probe, 'delete')),
  judge: (x) => answered(x, [NOT_FOUND], `${NOT_FOUND} for a ${nounOfId(x.operation)} already deleted`),
};
