// The contract's facts the benchmarks use, taken from generated/ (never retyped): the example SIDs,
// the fetch and list paths, the list's default page size, and the published example the local target serves.
import {
  exampleParameters,
  operationFacts,
  parameterOf,
  parameterRules,
  responseExamples,
  schemaExamples,
} from '../generated/contract.js';
import { buildPath } from '../src/client/url.ts';

const fetchOp = operationFacts.FetchServiceBinding;

/** An operation's path with its path parameters set to the contract's examples. */
const examplePathOf = (id: 'FetchServiceBinding' | 'ListServiceBinding') =>
  buildPath(
    operationFacts[id].path,
    Object.fromEntries(
      operationFacts[id].parameters
        .filter((p) => p.in === 'path')
        .map((p) => [p.name, (exampleParameters[id] as Record<string, string>)[p.key] ?? `{${p.name}}`]),
    ),
  );

/** The fetch operation's example SIDs, camel-cased as fetchBinding takes them. */
export const SIDS: { chatServiceSid: string; sid: string } = exampleParameters.FetchServiceBinding;
export const CREDENTIALS = { username: schemaExamples.AccountSid[0], password: 'bench-auth-token' };
export const FETCH_PATH = fetchOp.path;
/** The concrete path of the example binding. */
export const examplePath = examplePathOf('FetchServiceBinding');
/** The body the target serves: the fetch operation's 200 example, as JSON text. */
const [okExamples] = Object.values(responseExamples.FetchServiceBinding);
export const exampleBody = JSON.stringify(Object.values(Object.values(okExamples ?? {})[0] ?? {})[0]);
export const jsonType: string = fetchOp.successType;

const pageSizeName = parameterOf.ListServiceBinding.pageSize.name;
/** The list's page size when none is asked: the contract's default. */
export const PAGE_SIZE = Number(parameterRules[pageSizeName].default);
/** The first page of the example service's bindings at that page size, as a request target. */
export const firstListPage = `${examplePathOf('ListServiceBinding')}?${pageSizeName}=${PAGE_SIZE}`;

/** The contract's server, which twilio-node calls and the benchmarks point elsewhere. */
export { server } from '../generated/contract.js';
