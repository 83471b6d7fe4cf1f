// The checks of what every operation must refuse: invalid path and query values (generated from each
// parameter's rule), no or wrong credentials, a method its path does not document, and an Accept no
// response documents. A delete is sent an instance the target does not hold: these checks delete nothing.
import { operationFacts, responses, statusCodes } from '../../generated/contract.js';
import type { OperationCheck, OperationProbe } from './check.js';
import { usualPath } from './instances.js';
import {
  answered,
  FORBIDDEN_STATUS,
  METHOD_NOT_ALLOWED,
  NOT_ACCEPTABLE,
  refusedWith,
  rejectsInvalid,
  stateless,
} from './judging.js';
import { ACTIONS, type Operation, operations, parametersIn, successFor } from './operations.js';
import { words } from './said.js';
import { invalidValues, parameterRule } from './seeded.js';

const { Unauthorized: UNAUTHORIZED } = statusCodes;

/** Sends each invalid value of each of an operation's parameters in one place (path or query). */
async function sendInvalid(probe: OperationProbe, place: 'path' | 'query'): Promise<void> {
  const { send, operation: op, random } = probe;
  const path = usualPath(probe);
  for (const p of parametersIn(op.id, place))
    for (const { kind, encoded } of invalidValues(parameterRule(op.id, p.key), random))
      await send({
        operation: op.id,
        ...(place === 'path'
          ? { path: { ...path, [p.key]: encoded } }
          : { path, query: `${p.name}=${encoded}` }),
        about: words(`${p.key} with a ${kind} value`),
      });
}

export const negativePathData: OperationCheck = {
  name: 'negative_data',
  severity: 'error',
  title: 'Invalid path parameters are rejected with a 4xx',
  proves:
    'For each path parameter of every operation, invalid values generated from its rule (wrong prefix, too short, too long, a character outside the alphabet, Unicode, an encoded slash) get a 4xx, never a 2xx or 5xx.',
  on: ACTIONS,
  fits: (op) => parametersIn(op.id, 'path').length > 0,
  probe: (probe) => sendInvalid(probe, 'path'),
  judge: rejectsInvalid,
};

export const negativeQueryData: OperationCheck = {
  name: 'negative_query_data',
  severity: 'error',
  title: 'Invalid query parameters are rejected with a 4xx',
  proves:
    "For each query parameter of every operation, invalid values generated from the contract's rules (below the minimum, above the maximum, a fraction, not a number, a value outside an enum) get a 4xx.",
  on: ACTIONS,
  fits: (op) => parametersIn(op.id, 'query').length > 0,
  probe: (probe) => sendInvalid(probe, 'query'),
  judge: rejectsInvalid,
};

export const noCredentials: OperationCheck = {
  name: 'auth_no_credentials',
  severity: 'error',
  title: `No credentials: ${UNAUTHORIZED} with a conforming error body`,
  proves: `A request to every operation with no credentials answers ${UNAUTHORIZED} with a conforming error body.`,
  on: ACTIONS,
  probe: (probe) =>
    probe.send({ operation: probe.operation.id, path: usualPath(probe), credentials: 'none' }),
  judge: (x) => answered(x, [UNAUTHORIZED]),
};

export const wrongCredentials: OperationCheck = {
  name: 'auth_wrong_credentials',
  severity: 'error',
  title: `Wrong credentials: ${UNAUTHORIZED} or ${FORBIDDEN_STATUS} with a conforming error body`,
  proves: `A request to every operation with a wrong password answers ${UNAUTHORIZED} or ${FORBIDDEN_STATUS} with a conforming error body.`,
  skip: stateless,
  on: ACTIONS,
  probe: (probe) =>
    probe.send({ operation: probe.operation.id, path: usualPath(probe), credentials: 'wrong' }),
  judge: (x) => answered(x, [UNAUTHORIZED, FORBIDDEN_STATUS]),
};

/** A method the contract does not document on a path (the first of these that is not). */
const undocumentedOn = (path: string) =>
  ['PUT', 'DELETE', 'PATCH', 'POST'].find(
    (method) => !Object.values(operationFacts).some((op) => op.path === path && op.method === method),
  ) as string;
/** The first operation of its path (by the run's order): the one a path's undocumented method is tried on. */
const firstOnPath = (op: Operation) => operations.find((o) => o.path === op.path) === op;
const shortPath = (path: string) => `…${path.slice(path.lastIndexOf('/', path.lastIndexOf('/') - 1))}`;

export const undocumentedMethod: OperationCheck = {
  name: 'undocumented_method',
  severity: 'warning',
  allowedBy: 'the contract does not forbid a method it does not document: a service may answer one',
  title: `An undocumented method on each path (${operations
    .filter(firstOnPath)
    .map((op) => `${undocumentedOn(op.path)} ${shortPath(op.path)}`)
    .join(', ')}): ${METHOD_NOT_ALLOWED} or another 4xx`,
  proves: `On each path, a method the contract does not document there gets ${METHOD_NOT_ALLOWED} or another 4xx.`,
  on: ACTIONS,
  fits: firstOnPath,
  probe: (probe) =>
    probe.send({
      operation: probe.operation.id,
      path: usualPath(probe),
      method: undocumentedOn(probe.operation.path),
    }),
  judge: refusedWith(METHOD_NOT_ALLOWED),
};

/** A media type no response documents. */
const unacceptableType = ['application/xml', 'text/html', 'text/csv'].find(
  (type) =>
    !Object.values(responses).some((byStatus) =>
      Object.values(byStatus).some((r) => type in (r as { content: object }).content),
    ),
) as string;

export const unacceptableAccept: OperationCheck = {
  name: 'unacceptable_accept',
  severity: 'warning',
  allowedBy:
    'the contract says nothing of Accept, and RFC 9110 §12.5.1 lets a server ignore it and answer its default representation',
  title: `An unacceptable Accept (${unacceptableType}): ${NOT_ACCEPTABLE} or another 4xx`,
  proves: `\`Accept: ${unacceptableType}\` (a media type no response documents) gets ${NOT_ACCEPTABLE} or another 4xx, on every operation whose success has a body (one with none, a delete's ${successFor('delete', 'status')}, has nothing to negotiate).`,
  on: ACTIONS,
  fits: (op) => op.success.mediaType !== null,
  probe: (probe) =>
    probe.send({ operation: probe.operation.id, path: usualPath(probe), accept: unacceptableType }),
  judge: refusedWith(NOT_ACCEPTABLE),
};
