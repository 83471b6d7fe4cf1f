// The contract's facts the benchmarks use, taken from generated/ (never retyped): the example SIDs,
// the fetch path, and the published example the local target serves.
import {
  operationFacts,
  parameterExamples,
  responseExamples,
  schemaExamples,
} from '../generated/contract.js';
import { buildPath } from '../src/client/url.ts';

const fetchOp = operationFacts.FetchServiceBinding;

/** The fetch operation's example SIDs, camel-cased as fetchBinding takes them. */
export const SIDS = Object.fromEntries(fetchOp.parameters.map((p) => [p.key, parameterExamples[p.name]])) as {
  chatServiceSid: string;
  sid: string;
};
export const CREDENTIALS = { username: schemaExamples.AccountSid[0], password: 'bench-auth-token' };
export const FETCH_PATH = fetchOp.path;
/** The concrete path of the example binding. */
export const examplePath = buildPath(
  fetchOp.path,
  Object.fromEntries(fetchOp.parameters.map((p) => [p.name, parameterExamples[p.name]])),
);
/** The body the target serves: the fetch operation's 200 example, as JSON text. */
const [okExamples] = Object.values(responseExamples.FetchServiceBinding);
export const exampleBody = JSON.stringify(Object.values(Object.values(okExamples ?? {})[0] ?? {})[0]);
export const jsonType = Object.keys(Object.values(fetchOp.success)[0] ?? {})[0] as string;
/** The contract's server, which twilio-node calls and the benchmarks point elsewhere. */
export { server } from '../generated/contract.js';
