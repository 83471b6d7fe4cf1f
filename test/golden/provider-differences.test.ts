// Golden: where this contract differs from the provider's own OpenAPI description (the fixture in
// test/fixtures/provider/, twilio-oai's Binding parts). Both are read into the same facts (3.0 `nullable`
// and 3.1 type arrays normalised, $refs inlined, words left out), and every difference must be a known one,
// with its reason; a known one that is no longer there fails too, so the list (and docs/provider-differences.md,
// which names each) stays true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spec } from '../support/contract.ts';

type Node = Record<string, unknown>;
const provider = JSON.parse(
  readFileSync(
    new URL('../fixtures/provider/twilio_conversations_v1.bindings.json', import.meta.url),
    'utf8',
  ),
) as Node;

/** Keywords that are words for a reader, not rules: left out of the comparison. */
const WORDS = new Set(['description', 'summary', 'title', 'tags', 'operationId', 'examples', 'externalDocs']);

/** A node with its $ref followed (within the same document). */
const follow = (doc: Node, node: Node): Node =>
  typeof node.$ref === 'string'
    ? follow(
        doc,
        node.$ref
          .slice(2)
          .split('/')
          .reduce<Node>((at, key) => at[key] as Node, doc),
      )
    : node;

/** JSON with object keys sorted: the same value reads the same whatever the order its document wrote. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

/** A schema with $refs inlined, `nullable` read as a `null` type, `anyOf [X, null]` as X with `null`, words dropped. */
function normal(doc: Node, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => normal(doc, n));
  if (!node || typeof node !== 'object') return node;
  let n = node as Node;
  if (typeof n.$ref === 'string')
    n = n.$ref
      .slice(2)
      .split('/')
      .reduce<Node>((at, key) => at[key] as Node, doc);
  const anyOf = n.anyOf as Node[] | undefined;
  if (anyOf?.length === 2 && anyOf[1]?.type === 'null') {
    const inner = normal(doc, anyOf[0]) as Node;
    return { ...inner, type: [inner.type, 'null'].flat() };
  }
  const out: Node = {};
  for (const [key, value] of Object.entries(n)) {
    if (WORDS.has(key) || key.startsWith('x-') || key === 'nullable' || key === 'example') continue;
    out[key] = normal(doc, value);
  }
  if (n.nullable === true) out.type = [n.type, 'null'].flat();
  if (Array.isArray(out.required)) out.required = [...(out.required as string[])].sort();
  return out;
}

/** Every leaf of a value, by its path: `.properties.meta.required` → `["key",…]`. */
function leaves(value: unknown, at: string, into: Map<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length)
    for (const [key, inner] of Object.entries(value)) leaves(inner, `${at}.${key}`, into);
  else into.set(at, canonical(value));
}

/** The facts of a description: servers, security, and per operation its parameters, statuses, headers, bodies and examples. */
function factsOf(doc: Node): Map<string, string> {
  const facts = new Map<string, string>();
  facts.set('servers', JSON.stringify((doc.servers as Node[]).map((s) => s.url)));
  const schemes = ((doc.components as Node).securitySchemes ?? {}) as Record<string, Node>;
  for (const [name, scheme] of Object.entries(schemes))
    leaves(normal(doc, scheme), `security ${name}`, facts);
  for (const [path, item] of Object.entries(doc.paths as Record<string, Node>))
    for (const method of ['get', 'delete', 'post', 'put', 'patch']) {
      const op = item[method] as Node | undefined;
      if (!op) continue;
      const id = `${method.toUpperCase()} ${path}`;
      const parameters = [...((item.parameters as Node[]) ?? []), ...((op.parameters as Node[]) ?? [])];
      for (const p of parameters.map((p) => normal(doc, p) as Node)) {
        const style = p.style ?? (p.in === 'query' ? 'form' : 'simple');
        const rule = {
          in: p.in,
          required: p.required ?? false,
          style,
          explode: p.explode ?? style === 'form',
          schema: p.schema,
        };
        leaves(rule, `${id} parameter ${p.name}`, facts);
      }
      for (const [status, given] of Object.entries(op.responses as Record<string, Node>)) {
        const response = follow(doc, given);
        const at = `${id} ${status}`;
        facts.set(at, 'documented');
        for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Node>)) {
          const h = follow(doc, header);
          const example = h.example ?? (h.schema as Node | undefined)?.example ?? null;
          leaves({ schema: normal(doc, h.schema), example }, `${at} header ${name}`, facts);
        }
        for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Node>)) {
          leaves(normal(doc, media.schema), `${at} ${type} body`, facts);
          for (const [name, example] of Object.entries((media.examples ?? {}) as Record<string, Node>))
            facts.set(`${at} ${type} example ${name}`, canonical(follow(doc, example).value ?? null));
        }
      }
    }
  return facts;
}

/** The differences, one line each: `only in the contract: …`, `only in the provider's: …`, `differs: …`. */
function differences(): string[] {
  const ours = factsOf(spec as Node);
  const theirs = factsOf(provider);
  const lines: string[] = [];
  for (const [key, value] of ours)
    if (!theirs.has(key)) lines.push(`only in the contract: ${key} = ${value}`);
    else if (theirs.get(key) !== value)
      lines.push(`differs: ${key}: contract ${value}, provider ${theirs.get(key)}`);
  for (const [key, value] of theirs)
    if (!ours.has(key)) lines.push(`only in the provider's: ${key} = ${value}`);
  return lines;
}

/** Each known difference: what it matches, and why the contract differs there. The docs page names each `id`. */
const KNOWN = [
  {
    id: 'binding-type-enum',
    matches:
      /^differs: .*binding_type.*\.enum|^differs: GET \/v1\/Services\/\{ChatServiceSid\}\/Bindings parameter BindingType\.schema\.items\.enum/,
    why: "The published reference page lists apn, gcm and fcm; the provider added twilsock (2025-09-30). The contract follows the page; verify reports a twilsock value, and validateResponse: 'report' lets a client read one.",
  },
  {
    id: 'error-statuses',
    matches: /^only in the contract: (GET|DELETE) \S+ (401|404|429|default)( |$)/,
    why: 'The provider answers 401, 404, 429 (with Retry-After) and other errors but documents none; the contract documents them so a client and a check can judge them.',
  },
  {
    id: 'list-required',
    matches:
      /^only in the contract: GET \/v1\/Services\/\{ChatServiceSid\}\/Bindings 200 application\/json body\.(required|properties\.meta\.required)/,
    why: 'Every page carries bindings and meta with all seven paging fields, and paging depends on them: the contract requires them, the provider requires nothing.',
  },
  {
    id: 'meta-minimums',
    matches:
      /^only in the contract: GET \S+ 200 application\/json body\.properties\.meta\.properties\.(page|page_size)\.minimum/,
    why: 'A page index is never negative and a page size never below 1: the contract says so, the provider does not.',
  },
  {
    id: 'page-size-default',
    matches: /^only in the contract: GET \S+ parameter PageSize\.schema\.default/,
    why: "The provider states the default of 50 only in prose; the contract makes it the schema's default.",
  },
  {
    id: 'cors-header-examples',
    matches:
      /^(differs|only in the contract): GET \S+ 200 header Access-Control-(Allow-Methods|Allow-Headers|Allow-Credentials|Expose-Headers)\.example/,
    why: "The provider's CORS examples were copied from another endpoint (Allow-Methods says POST, OPTIONS on a GET); the contract's say what a GET answers.",
  },
] as const;

describe("the contract against the provider's OpenAPI description", () => {
  const found = differences();

  it('differs only where it is known to, each for its reason', () => {
    const unknown = found.filter((line) => !KNOWN.some((k) => k.matches.test(line)));
    // Each difference in full (an assertion's diff would cut long lines): the message names what changed.
    if (unknown.length)
      throw new Error(
        `differences on no list (add each to KNOWN with its reason, or follow the provider):\n${unknown.join('\n')}`,
      );
  });

  it.each(KNOWN.map((k) => [k.id, k] as const))('%s is still a difference', (_id, known) => {
    expect(found.filter((line) => known.matches.test(line)).length).toBeGreaterThan(0);
  });

  it('agrees on the rest: the binding fields, patterns, lengths, servers, CORS headers, security and examples', () => {
    const [ours, theirs] = [factsOf(spec as Node), factsOf(provider)];
    const agreed = [...ours.keys()].filter((key) => theirs.get(key) === ours.get(key));
    const disagreed = [
      'servers',
      'security accountSid_authToken.scheme',
      'GET /v1/Services/{ChatServiceSid}/Bindings/{Sid} 200 application/json body.properties.sid.pattern',
    ]
      .filter((fact) => !agreed.includes(fact))
      .map((fact) => `${fact}: this contract ${ours.get(fact)}, the provider's ${theirs.get(fact)}`);
    if (disagreed.length) throw new Error(`facts that no longer agree:\n${disagreed.join('\n')}`);
    expect(agreed.filter((key) => key.includes(' example ')).length).toBeGreaterThanOrEqual(3);
  });

  it('docs/provider-differences.md names each known difference', () => {
    const page = readFileSync(new URL('../../docs/provider-differences.md', import.meta.url), 'utf8');
    for (const { id } of KNOWN) expect(page).toContain(`\`${id}\``);
  });
});
