// `verify --fuzz N --export-tests DIR`: each confirmed fuzz failure written as a test file of its own
// (node:test, nothing but Node needed) that sends the minimal request to BINDINGS_BASE_URL with the
// credentials from the environment and asserts the contract's verdict, its facts taken from the contract
// now (documented statuses, media types, headers, the body's schema rules), never typed by hand.
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { operationFacts, parameterRules, responses, statusCodes } from '../../generated/contract.js';
import { schemaRules } from '../../generated/schema-rules.js';
import { quoted } from '../client/quote.js';
import type { OperationId } from '../client/types.js';
import type { SchemaRule } from '../testing/schema-rule.js';
import { checkWritable, writeText } from './file-writes.js';
import { UsageError } from './flags.js';
import { operation as operationOf } from './operations.js';
import { MAX_COMMAND } from './said.js';
import { pageSizeParameter } from './walk.js';

/** The variable an exported test reads the service's base URL from. */
export const BASE_URL_VARIABLE = 'BINDINGS_BASE_URL';
/** The most characters of the finding an exported test's header quotes (then `…`). */
export const MAX_EXPORTED_FINDING = 2_000;
/** The most characters of a check name, with its operation and kind, an exported file's name holds. */
export const MAX_EXPORTED_NAME = 120;

/** A confirmed failure as exported: what the report said of it, and the case to send again. */
export interface ExportedFailure {
  /** `fuzz_list/ListServiceBinding/invalid`. */
  check: string;
  operation: OperationId;
  valid: boolean;
  /** Whether a list's page is judged against what was asked (not for a target that keeps no state). */
  pages: boolean;
  /** The path and query as sent (percent-encoded). */
  target: string;
  /** The finding as the report printed it (already bounded and redacted). */
  finding: string;
  seed: number;
  /** The verify command that replays it, as the report printed it. */
  replay: string;
  credentialVariables: readonly [string, string];
  timeoutMs: number;
  maxResponseBytes: number;
}

/**
 * Text as a JavaScript string literal of printable ASCII only (JSON's escapes, then every other character
 * as \uXXXX): safe in code and in a line comment alike (no line terminator, U+2028 included, survives).
 */
export function literal(text: string, max = MAX_EXPORTED_FINDING): string {
  const bounded = [...text].length > max ? `${[...text].slice(0, max).join('')}…` : text;
  return JSON.stringify(bounded).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Data embedded in the file: JSON whose strings are literals as `literal` writes them. */
const embedded = (value: unknown) =>
  JSON.stringify(value, null, 2).replace(
    /[^\x20-\x7e\n]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** The component schemas a set of schemas reaches through their references. */
function reachable(names: string[]): Record<string, SchemaRule> {
  const rules = schemaRules as unknown as Record<string, SchemaRule>;
  const found: Record<string, SchemaRule> = {};
  const visit = (rule: SchemaRule | undefined) => {
    if (!rule) return;
    if (rule.ref && !found[rule.ref]) {
      found[rule.ref] = rules[rule.ref] as SchemaRule;
      visit(found[rule.ref]);
    }
    for (const inner of [rule.items, ...(rule.anyOf ?? []), ...Object.values(rule.properties ?? {})])
      visit(inner);
  };
  for (const name of names) visit({ ref: name });
  return found;
}

/**
 * What a list's page must hold for a valid case, as fuzzing judges it: only items its filters allow (each
 * filter's parameter and field), and the page size asked (the paging parameter, the field of the page's
 * object that holds it, its default); null when the operation lists nothing or the target keeps no state.
 */
function pageOf(operation: OperationId) {
  const op = operationOf(operation);
  if (!op.list) return null;
  const rules = schemaRules as unknown as Record<string, SchemaRule>;
  const size = pageSizeParameter(op);
  // The page's member that holds the paging fields (its `meta`), found by the field the page size is in.
  const holder = Object.entries(rules[op.list.page]?.properties ?? {}).find(
    ([, rule]) => size?.field && rules[rule.ref ?? '']?.properties?.[size.field],
  )?.[0];
  const defaults = parameterRules as unknown as Record<string, { default?: unknown } | undefined>;
  return {
    status: op.success.status,
    items: op.list.key,
    filters: op.list.filters.flatMap((f) => (f.field ? [{ parameter: f.name, field: f.field }] : [])),
    size:
      size?.field && holder
        ? { parameter: size.name, holder, field: size.field, default: defaults[size.name]?.default ?? null }
        : null,
  };
}

/** What the contract says of the operation's answers, as the exported test judges them. */
function contractOf(operation: OperationId, valid: boolean, pages: boolean) {
  const documented = responses[operation] as unknown as Record<
    string,
    { content: Record<string, { schema: string }>; headers: readonly string[] }
  >;
  const statuses = Object.fromEntries(
    Object.entries(documented).map(([status, r]) => [
      status,
      {
        types: Object.fromEntries(Object.entries(r.content).map(([type, c]) => [type, c.schema])),
        headers: r.headers,
      },
    ]),
  );
  const schemas = Object.values(statuses).flatMap((s) => Object.values(s.types));
  const { method, accept, successStatus } = operationFacts[operation];
  // A valid case gets the success or a not-found (its instance may be gone); an invalid one a 4xx.
  const expected = valid ? { statuses: [successStatus, statusCodes.NotFound] } : { from: 400, to: 499 };
  const page = valid && pages ? pageOf(operation) : null;
  return { method, accept, expected, statuses, rules: reachable(schemas), page };
}

/** A file name of the check, its operation and kind, and the seed: letters, digits, `_`, `-` and `.` only. */
export function fileNameOf(check: string, seed: number): string {
  const safe = check.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, MAX_EXPORTED_NAME);
  return `${safe}-seed-${seed}.test.mjs`;
}

/** The test file of a failure: its header (the finding, the seed, the replay), the facts, the judgement. */
export function testFileOf(failure: ExportedFailure): string {
  const [user, secret] = failure.credentialVariables;
  const request = {
    method: operationFacts[failure.operation].method,
    target: failure.target,
    timeoutMs: failure.timeoutMs,
    maxBytes: failure.maxResponseBytes,
    credentials: [user, secret],
  };
  return [
    `// Exported by bindings-contract verify --export-tests: a confirmed failure of ${literal(failure.check, MAX_EXPORTED_NAME)}.`,
    `// Finding: ${literal(failure.finding)}`,
    `// Seed: ${failure.seed}`,
    `// Replay: ${literal(failure.replay, MAX_COMMAND)}`,
    `// Sends: ${literal(`${request.method} ${failure.target}`, MAX_COMMAND)}${operationOf(failure.operation).action === 'delete' ? ' (it deletes what it names, as the run did)' : ''}`,
    `// Run: ${BASE_URL_VARIABLE}=URL ${user}=... ${secret}=... node --test <this file> (it fails while the service keeps the fault).`,
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    '',
    `const BASE_URL_VARIABLE = ${literal(BASE_URL_VARIABLE)};`,
    `const REQUEST = ${embedded(request)};`,
    `const CONTRACT = ${embedded(contractOf(failure.operation, failure.valid, failure.pages))};`,
    JUDGEMENT,
    `test(${literal(`${failure.check} (seed ${failure.seed}) keeps the contract`, MAX_EXPORTED_NAME * 2)}, async () => {`,
    '  assert.deepEqual(await problemsOf(await send()), []);',
    '});',
    '',
  ].join('\n');
}

/** The code of every exported test: send the request, read the answer (bounded), list what breaks the contract. */
const JUDGEMENT = String.raw`
async function send() {
  const base = (process.env[BASE_URL_VARIABLE] ?? '').replace(/\/$/, '');
  assert.ok(base, 'set ' + BASE_URL_VARIABLE + ' to the service to test');
  const [user, secret] = REQUEST.credentials.map((name) => process.env[name] ?? '');
  assert.ok(user && secret, 'set ' + REQUEST.credentials.join(' and '));
  const response = await fetch(base + REQUEST.target, {
    method: REQUEST.method,
    headers: { Accept: CONTRACT.accept, Authorization: 'Basic ' + Buffer.from(user + ':' + secret).toString('base64') },
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST.timeoutMs),
  });
  const chunks = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > REQUEST.maxBytes) break;
    chunks.push(chunk);
  }
  return { response, text: size > REQUEST.maxBytes ? undefined : Buffer.concat(chunks).toString('utf8') };
}

function problemsOf({ response, text }) {
  const { status, headers } = response;
  const { expected } = CONTRACT;
  const problems = [];
  if (expected.statuses ? !expected.statuses.includes(status) : status < expected.from || status > expected.to)
    problems.push('status ' + status + ', expected ' + (expected.statuses?.join(' or ') ?? expected.from + '-' + expected.to));
  const documented = CONTRACT.statuses[status] ?? (status >= 400 ? CONTRACT.statuses.default : undefined);
  if (!documented) return [...problems, 'status ' + status + ' is not documented'];
  for (const name of documented.headers) if (!headers.has(name)) problems.push('documented header ' + name + ' is missing');
  const types = Object.keys(documented.types);
  if (!types.length) return text ? [...problems, 'a body where none is documented'] : problems;
  const type = (headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!documented.types[type]) return [...problems, 'media type ' + JSON.stringify(type.slice(0, 100)) + ' is not ' + types.join(', ')];
  if (text === undefined) return [...problems, 'the body is larger than ' + REQUEST.maxBytes + ' bytes'];
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return [...problems, 'the body is not JSON'];
  }
  return [...problems, ...broken(body, { ref: documented.types[type] }, '').slice(0, 10), ...pageProblems(status, body)];
}

/** A list's page against what the case asked: only items its filters allow, the page size asked. */
function pageProblems(status, body) {
  const { page } = CONTRACT;
  if (!page || status !== page.status || typeof body !== 'object' || body === null) return [];
  const query = new URL(REQUEST.target, 'http://target.invalid').searchParams;
  const problems = [];
  const items = Array.isArray(body[page.items]) ? body[page.items] : [];
  for (const [i, item] of items.entries())
    for (const { parameter, field } of page.filters) {
      const asked = query.getAll(parameter);
      if (asked.length && !asked.includes(item?.[field]))
        problems.push('/' + page.items + '/' + i + '/' + field + ': not one of the ' + parameter + ' asked');
    }
  if (page.size) {
    const asked = query.has(page.size.parameter) ? Number(query.get(page.size.parameter)) : page.size.default;
    const held = body[page.size.holder]?.[page.size.field];
    if (asked !== null && held !== asked)
      problems.push('/' + page.size.holder + '/' + page.size.field + ' is ' + JSON.stringify(held) + ', but ' + asked + ' was asked');
  }
  return problems.slice(0, 3);
}

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const FORMATS = {
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:(\d{2}|60)(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
};

/** Where a value breaks its schema rule: the rule's pointer and keyword, each once. */
function broken(value, rule, at) {
  if (rule.ref) return broken(value, CONTRACT.rules[rule.ref], at);
  if (rule.anyOf) return rule.anyOf.some((r) => !broken(value, r, at).length) ? [] : [at + ': anyOf'];
  const types = rule.type === undefined ? [] : [rule.type].flat();
  const type = typeOf(value);
  if (types.length && !types.includes(type) && !(type === 'integer' && types.includes('number')))
    return [at + ': type (expected ' + types.join(' or ') + ', got ' + type + ')'];
  if (rule.enum && !rule.enum.includes(value)) return [at + ': enum'];
  const out = [];
  if (typeof value === 'string') {
    const length = [...value].length;
    if (rule.pattern && !new RegExp(rule.pattern, 'u').test(value)) out.push(at + ': pattern');
    if (rule.minLength !== undefined && length < rule.minLength) out.push(at + ': minLength');
    if (rule.maxLength !== undefined && length > rule.maxLength) out.push(at + ': maxLength');
    if (FORMATS[rule.format] && !FORMATS[rule.format].test(value)) out.push(at + ': format ' + rule.format);
  }
  if (typeof value === 'number') {
    if (rule.minimum !== undefined && value < rule.minimum) out.push(at + ': minimum');
    if (rule.maximum !== undefined && value > rule.maximum) out.push(at + ': maximum');
  }
  if (type === 'array' && rule.items) value.forEach((item, i) => out.push(...broken(item, rule.items, at + '/' + i)));
  if (type === 'object') {
    for (const key of rule.required ?? []) if (!(key in value)) out.push(at + '/' + key + ': required');
    for (const [key, inner] of Object.entries(rule.properties ?? {}))
      if (key in value) out.push(...broken(value[key], inner, at + '/' + key));
  }
  return out;
}
`;

/** Fails now, before anything is sent, when DIR cannot hold the exported tests (a file, a folder not writable). */
export async function checkExportFolder(dir: string): Promise<void> {
  const named = `--export-tests ${quoted(dir)}`;
  const found = await stat(dir).catch(() => undefined);
  if (found && !found.isDirectory()) throw new UsageError(`${named} is a file, not a folder`);
  // A folder not made yet is made when the first failure is exported: its parent must be writable.
  await checkWritable(found ? join(dir, 'exported.test.mjs') : dir, { flag: '--export-tests' });
}

/** Writes a failure's test into DIR (made if missing), atomically: a stop leaves no half-written file. */
export async function exportTest(
  dir: string,
  failure: ExportedFailure,
  signal?: AbortSignal,
): Promise<string> {
  const path = join(dir, fileNameOf(failure.check, failure.seed));
  await mkdir(dir, { recursive: true });
  await writeText(path, testFileOf(failure), { named: `--export-tests ${quoted(path)}`, signal });
  return path;
}
