// The contract's facts as tests take them: from generated/ (never retyped), plus values derived from
// its rules: valid ones, and invalid ones that stay invalid whatever the contract says tomorrow.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  exampleParameters,
  headerExamples,
  operationFacts,
  parameterExamples,
  parameterRules,
  responseExamples,
  schemaExamples,
  server,
  statusCodes,
  statusOfResponse,
} from '../../generated/contract.js';
import type { Binding, components, OperationId, TwilioErrorBody } from '../../src/client/index.ts';
import { buildPath } from '../../src/client/url.ts';

/** The bundled contract, read as a consumer would. */
export const spec = JSON.parse(
  readFileSync(new URL('../../generated/openapi.json', import.meta.url), 'utf8'),
);

const firstValue = <T>(record: Readonly<Record<string, T>> | undefined): T => {
  const [value] = Object.values(record ?? {});
  if (value === undefined) throw new Error('The contract has no example here');
  return value;
};

/** The first example of an operation's documented response (for a status, its first media type). */
export function example(operation: OperationId, status: string): unknown {
  const byStatus = responseExamples[operation] as Record<string, Record<string, Record<string, unknown>>>;
  return structuredClone(firstValue(firstValue(byStatus[status])));
}

/** The fetch operation's 200 example: the published reference's binding. */
export const bindingExample = example(
  'FetchServiceBinding',
  String(operationFacts.FetchServiceBinding.successStatus),
) as Binding;

/** The binding example with some fields replaced; the keys are checked against the contract's Binding type. */
export const withFields = (patch: { [K in keyof Binding]?: unknown }) => ({ ...bindingExample, ...patch });

/** The example error body a named response documents (`Unauthorized`, `NotFound`, …). */
export const errorExample = (response: keyof typeof statusOfResponse) =>
  example('FetchServiceBinding', statusOfResponse[response]) as TwilioErrorBody & { code: number };

/** An error body for any status, the way the provider writes one: the catch-all example with that status. */
export const errorBody = (status: number): TwilioErrorBody => ({
  ...errorExample('UnexpectedError'),
  status,
});

/** The status a named response is documented under, as a number (`NotFound` → 404). */
export const statusOf = <Name extends keyof typeof statusCodes>(response: Name) => statusCodes[response];

/** The media type of the fetch operation's success: the JSON the service answers with. */
export const jsonType: string = operationFacts.FetchServiceBinding.successType;

/** The example SIDs the contract gives the fetch operation's path parameters, camel-cased. */
export const exampleSids: { chatServiceSid: string; sid: string } = exampleParameters.FetchServiceBinding;

/** The contract's example Account SID: a well-formed username. */
export const exampleAccountSid = schemaExamples.AccountSid[0];

/** The concrete request path of the fetch operation for a pair of SIDs. */
export const bindingPath = (chatServiceSid: string, sid: string) =>
  buildPath(operationFacts.FetchServiceBinding.path, { ChatServiceSid: chatServiceSid, Sid: sid });

/** The path parameters of a request path that fits a template, decoded; undefined when it does not fit. */
export function matchPath(template: string, url: string): Record<string, string> | undefined {
  const parts = template.split(/\{(\w+)\}/);
  const names = parts.filter((_, i) => i % 2);
  const source = parts
    .map((part, i) => (i % 2 ? '([^/?]*)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  const match = new RegExp(`^${source}(?:\\?.*)?$`).exec(url);
  if (!match) return undefined;
  try {
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
  } catch {
    return undefined;
  }
}

/** The headers a documented response names, each with the contract's example value. */
export const documentedHeaders = (operation: OperationId, status: string): Record<string, string> => ({
  ...(headerExamples[operation] as Record<string, Record<string, string>>)[status],
});

/** A value not among `values`: derived, so it stays outside the enum whatever the contract adds. */
export function valueNotIn(values: readonly string[]): string {
  let candidate = 'twilsock';
  while (values.includes(candidate)) candidate = `${candidate}-x`;
  return candidate;
}

/** The BindingType enum, read from the bundled contract. */
export const bindingTypes: readonly string[] = spec.components.schemas.BindingType.enum;

type SidName = 'ChatServiceSid' | 'Sid';
const sidRule = (name: SidName) =>
  parameterRules[name] as { pattern: string; minLength: number; maxLength: number };

/** Strings matching a SID parameter's pattern and lengths (fast-check reads the pattern itself). */
export const validSid = (name: SidName) => {
  const { pattern, minLength, maxLength } = sidRule(name);
  return fc
    .stringMatching(new RegExp(pattern))
    .filter((s) => [...s].length >= minLength && [...s].length <= maxLength);
};

/** Whether a value keeps a SID parameter's rule, by the rule itself. */
export const keepsRule = (name: SidName, value: unknown) => {
  const { pattern, minLength, maxLength } = sidRule(name);
  return (
    typeof value === 'string' &&
    new RegExp(pattern, 'u').test(value) &&
    [...value].length >= minLength &&
    [...value].length <= maxLength
  );
};

/** Derived invalid SIDs: the example one character short, with its first character changed, one too long. */
export function invalidSids(name: SidName) {
  const valid = parameterExamples[name];
  const first = valid.charAt(0);
  const other = first === 'Z' ? 'Y' : 'Z';
  const cases = {
    'one character short': valid.slice(0, -1),
    'one character too long': valid + valid.charAt(valid.length - 1),
    'a wrong prefix': other + valid.slice(1),
  };
  for (const [kind, value] of Object.entries(cases))
    if (keepsRule(name, value)) throw new Error(`${kind} (${value}) is still valid: derive another`);
  return cases;
}

/** The list operation's first 200 example (a full page): the template of every page tests build. */
export const listExample = example(
  'ListServiceBinding',
  String(operationFacts.ListServiceBinding.successStatus),
) as ListPage;

type ListPage = components['schemas']['ListServiceBindingResponse'];

/** The list path of the example service, and a page URL on the provider's host with this query. */
export const listPath = buildPath(operationFacts.ListServiceBinding.path, {
  ChatServiceSid: exampleSids.chatServiceSid,
});
export const pageUrl = (query: string, host: string = server) =>
  `${host}${listPath}${query ? `?${query}` : ''}`;

/** The example binding as the i-th of a list: its SID's last digits replaced by i (digits keep any hex pattern). */
export function nthBinding(i: number): Binding {
  const sid = String(bindingExample.sid);
  return { ...bindingExample, sid: sid.slice(0, -8) + String(i).padStart(8, '0') };
}

/** A list page holding `bindings`, at `url`, pointing at `next` (null on the last page). */
export function listPageOf(bindings: Binding[], url: string, next: string | null, page = 0): ListPage {
  return { ...listExample, bindings, meta: { ...listExample.meta, url, next_page_url: next, page } };
}
