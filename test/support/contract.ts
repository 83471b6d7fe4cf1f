// The bundled contract, read the way a consumer would, and the facts tests take from it.
import { readFileSync } from 'node:fs';
import { operation, pathParameterExamples, pathParameters } from '../../generated/contract.js';

type Media = { schema: { $ref: string }; examples: Record<string, { value: unknown }> };
type Response = { $ref?: string; headers?: Record<string, unknown>; content: Record<string, Media> };

export const spec = JSON.parse(
  readFileSync(new URL('../../generated/openapi.json', import.meta.url), 'utf8'),
);

const responses = spec.paths[operation.path][operation.method.toLowerCase()].responses as Record<
  string,
  Response
>;

/** A documented response of the operation, `$ref` resolved. */
export function documentedResponse(status: string): Response {
  const node = responses[status] as Response;
  return node.$ref ? spec.components.responses[node.$ref.split('/').pop() as string] : node;
}

const firstExample = (response: Response) =>
  Object.values(Object.values(response.content)[0]?.examples ?? {})[0]?.value;

/** The 200 example: SEED.md's example, as the spec carries it. */
export const bindingExample = firstExample(documentedResponse('200')) as Record<string, unknown>;

/** The example error body of a documented status ('401', '404', '429', 'default'). */
export const errorExample = (status: string) =>
  firstExample(documentedResponse(status)) as {
    code?: number;
    message: string;
    more_info?: string;
    status: number;
  };

/** The example SIDs the spec gives its path parameters. */
export const exampleSids = { ...pathParameterExamples };

/** The concrete request path for a pair of SIDs. */
export const bindingPath = (chatServiceSid: string, sid: string) =>
  operation.path
    .replace(`{${pathParameters.chatServiceSid.name}}`, chatServiceSid)
    .replace(`{${pathParameters.sid.name}}`, sid);

/** The headers a documented response names, each with the spec's example value. */
export function headerExamples(status: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(documentedResponse(status).headers ?? {}).map(([name, node]) => {
      const ref = (node as { $ref?: string }).$ref;
      const header = ref ? spec.components.headers[ref.split('/').pop() as string] : node;
      return [name, String(header.example)];
    }),
  );
}
