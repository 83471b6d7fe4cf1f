// verify's verdicts as a CI team keeps them: a warning (verify's recommendation, not the contract's rule)
// fails nothing unless --strict; a known finding (--known-findings FILE) is shown as known and fails
// nothing until its entry expires; an entry no longer found is reported (and fails under --strict); bad
// input in the file is exit 2 naming the file and the entry. The provider's real divergence stands in:
// a binding type the contract's enum does not hold.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFacts } from '../../generated/contract.js';
import { operationRegistry } from '../../generated/registry.js';
import { checks } from '../../src/cli/checks.ts';
import { main } from '../../src/cli/main.ts';
import type { Report } from '../../src/cli/report.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample, bindingTypes, spec, valueNotIn } from '../support/contract.ts';
import { inProcess, inProcessFetch } from '../support/in-process.ts';

/** The field of a binding whose schema is the BindingType enum, and a value the enum does not hold. */
const typeField = Object.entries(
  spec.components.schemas[operationRegistry.FetchServiceBinding.resource].properties,
).find(([, s]) => JSON.stringify(s).includes('BindingType'))?.[0] as string;
const undocumented = valueNotIn(bindingTypes);
const ACCEPT_JSON = operationFacts.FetchServiceBinding.accept;

type Mode = { divergent?: boolean; ignoresAccept?: boolean; value?: string };

/** Every binding of a JSON answer (one, or a page's) given the undocumented type. */
function diverged(body: unknown, value: string): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const record = body as Record<string, unknown>;
  if (typeField in record) return { ...record, [typeField]: value };
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, Array.isArray(v) ? v.map((b) => diverged(b, value)) : v]),
  );
}

const fake = createBindingsFake({ bindings: [bindingExample], recordCoverage: false });
const mode: Mode = {};
const server = inProcess(fake, async (request) => {
  const headers = new Headers(request.headers);
  // A service that ignores Accept answers its JSON whatever was asked (RFC 9110 §12.5.1 lets it).
  if (mode.ignoresAccept) headers.set('accept', ACCEPT_JSON);
  const response = await fake.handle(new Request(request, { headers }));
  if (!mode.divergent || !response.headers.get('content-type')?.includes('json')) return response;
  const body = diverged(await response.json(), mode.value ?? undocumented);
  return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
});
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'known-findings-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const env = { BINDINGS_USERNAME: fake.credentials.username, BINDINGS_PASSWORD: fake.credentials.password };

/** verify against the server as `mode` sets it, with the JSON report; its status, report and text. */
async function verify(set: Mode, ...args: string[]) {
  Object.assign(mode, { divergent: false, ignoresAccept: false, value: undefined }, set);
  let stdout = '';
  let stderr = '';
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const status = await main(
    ['verify', '--base-url', server.url, '--seed', '7', '--reporter', 'json', '--output', out, ...args],
    env,
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      fetch: inProcessFetch,
    },
  );
  const report = status === 2 ? undefined : (JSON.parse(await readFile(out, 'utf8')) as Report);
  return { status, report, stdout, stderr };
}

const evidenceOf = (report: Report | undefined) => report?.checks.flatMap((c) => c.evidence) ?? [];
const file = (name: string) => join(dir, name);

describe('warnings: what the contract does not forbid fails nothing unless --strict', () => {
  it('each check says its severity in the registry; unacceptable_accept is a warning, with why', () => {
    for (const check of checks) expect(['error', 'warning'], check.name).toContain(check.severity);
    const accept = checks.find((c) => c.name === 'unacceptable_accept');
    expect(accept?.severity).toBe('warning');
    expect(accept?.allowedBy).toMatch(/RFC 9110/);
  });

  it('a service answering its JSON to any Accept: the check warns, exit 0; with --strict exit 1', async () => {
    const lax = await verify({ ignoresAccept: true });
    const accept = lax.report?.checks.find((c) => c.name === 'unacceptable_accept');
    expect(accept?.status).toBe('warn');
    expect(accept?.severity).toBe('warning');
    expect(accept?.evidence[0]?.severity).toBe('warning');
    expect(lax.stdout).toMatch(/⚠ unacceptable_accept/);
    expect(lax.stdout).toMatch(/warning: verify's recommendation/);
    expect(lax.report?.summary.warned).toBe(1);
    expect(lax.status, lax.stdout).toBe(0);
    const strict = await verify({ ignoresAccept: true }, '--strict');
    expect(strict.report?.checks.find((c) => c.name === 'unacceptable_accept')?.status).toBe('fail');
    expect(strict.status).toBe(1);
  });
});

describe('known findings: the provider binding type the contract does not document', () => {
  it('is a finding naming the field, whose fingerprint leaves out the value sent', async () => {
    const { status, report } = await verify({ divergent: true });
    expect(status).toBe(1);
    const found = evidenceOf(report).filter((e) => e.fingerprint?.where === `/${typeField}`);
    expect(found.length).toBeGreaterThan(0);
    for (const e of found) expect(JSON.stringify(e.fingerprint)).not.toContain(undocumented);
    // Another undocumented value breaks the same rule at the same place: the same fingerprints.
    const other = await verify({ divergent: true, value: valueNotIn([...bindingTypes, undocumented]) });
    const keys = (r: Report | undefined) => new Set(evidenceOf(r).map((e) => JSON.stringify(e.fingerprint)));
    expect(keys(other.report)).toEqual(keys(report));
  });

  it('written as a starting file, accepted: exit 0, each finding shown as known; a different finding still fails', async () => {
    const written = await verify({ divergent: true }, '--write-known-findings', file('start.json'));
    expect(written.status).toBe(1);
    const start = JSON.parse(await readFile(file('start.json'), 'utf8'));
    expect(start.version).toBe(1);
    expect(start.findings.length).toBeGreaterThan(0);
    const accepted = {
      ...start,
      findings: start.findings.map((f: object) => ({
        ...f,
        reason: 'the provider sends its own binding type; ticket open',
        link: 'https://example.com/ticket/1',
        expires: '2999-12-31',
      })),
    };
    await writeFile(file('known.json'), JSON.stringify(accepted));
    const known = await verify({ divergent: true }, '--known-findings', file('known.json'));
    expect(known.status, known.stdout).toBe(0);
    const shown = evidenceOf(known.report);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((e) => e.known?.reason.startsWith('the provider'))).toBe(true);
    expect(known.stdout).toMatch(/known: the provider sends its own binding type/);
    expect(known.report?.knownFindings?.notFound).toEqual([]);
    // Another fault (every answer ignoring Accept) is not in the file: it is reported as before.
    const more = await verify(
      { divergent: true, ignoresAccept: true },
      '--known-findings',
      file('known.json'),
      '--strict',
    );
    expect(more.status).toBe(1);
    expect(more.report?.checks.find((c) => c.name === 'unacceptable_accept')?.status).toBe('fail');
  });

  it('a reason of 10,000 characters with a terminal escape: quoted bounded and escaped; JUnit passes the check, showing it', async () => {
    const known = JSON.parse(await readFile(file('known.json'), 'utf8'));
    const reason = `\u001b[2J${'r'.repeat(10_000)}`;
    known.findings = known.findings.map((f: object) => ({ ...f, reason }));
    await writeFile(file('long.json'), JSON.stringify(known));
    const { status, stdout, report } = await verify(
      { divergent: true },
      '--known-findings',
      file('long.json'),
    );
    expect(status).toBe(0);
    expect(stdout).not.toContain('\u001b');
    expect(stdout).toContain('known: \\u001b[2J');
    expect(stdout).not.toContain('r'.repeat(201));
    expect(evidenceOf(report).every((e) => (e.known?.reason.length ?? 0) <= 201)).toBe(true);
    let junit = '';
    await main(
      [
        'verify',
        '--base-url',
        server.url,
        '--seed',
        '7',
        '--reporter',
        'junit',
        '--known-findings',
        file('known.json'),
      ],
      env,
      {
        stdout: (t) => {
          junit += t;
        },
        stderr: () => {},
        fetch: inProcessFetch,
      },
    );
    expect(junit).toMatch(/failures="0"/);
    expect(junit).toMatch(/<system-out>[^<]*known: the provider sends its own binding type/);
    // Each line escaped, then joined: a line break is a line break, never an escaped \u000a.
    expect(junit).toMatch(/<system-out>[^<]*\n[^<]*known: /);
    expect(junit).not.toContain('\\u000a');
  });

  it('an expired entry fails the run, saying it expired', async () => {
    const known = JSON.parse(await readFile(file('known.json'), 'utf8'));
    known.findings = known.findings.map((f: object) => ({ ...f, expires: '2000-01-01' }));
    await writeFile(file('expired.json'), JSON.stringify(known));
    const { status, stdout, report } = await verify(
      { divergent: true },
      '--known-findings',
      file('expired.json'),
    );
    expect(status).toBe(1);
    expect(evidenceOf(report).every((e) => e.known?.expired === true)).toBe(true);
    expect(stdout).toMatch(/its entry expired after 2000-01-01: it fails the run again/);
  });

  it('removed from the service: each entry reported as no longer found; --strict fails on it', async () => {
    const entries = JSON.parse(await readFile(file('known.json'), 'utf8')).findings.length;
    const fixed = await verify({}, '--known-findings', file('known.json'));
    expect(fixed.status).toBe(0);
    expect(fixed.report?.knownFindings?.notFound).toHaveLength(entries);
    expect(fixed.stdout).toMatch(/Known findings no longer found \(remove them from /);
    expect(fixed.stdout).toMatch(/known findings? no longer found/);
    const strict = await verify({}, '--known-findings', file('known.json'), '--strict');
    expect(strict.status).toBe(1);
  });
});

describe('a known-findings file that is not one: exit 2 naming the file and the entry, nothing sent', () => {
  const entry = { check: 'status_conformance', rule: 'body: must be …', reason: 'accepted' };
  it.each([
    ['not the format', '[]', /must be \{"version": 1, "findings"/],
    ['not JSON', '{', /cannot be read as known findings \(it is not JSON\)/],
    [
      'an unknown check',
      { ...entry, check: 'no_such_check' },
      /finding 1: check "no_such_check".*is not a check of verify/,
    ],
    [
      'an unknown operation',
      { ...entry, operation: 'NoSuchOperation' },
      /finding 1: operation "NoSuchOperation".*is not an operation/,
    ],
    ['a malformed date', { ...entry, expires: '2026-02-30' }, /finding 1: expires "2026-02-30".*YYYY-MM-DD/],
    ['no reason', { check: entry.check, rule: entry.rule }, /finding 1 needs check, rule and reason/],
    ['a field it does not know', { ...entry, severity: 'low' }, /finding 1 has "severity"/],
  ])('%s', async (_what, content, message) => {
    const path = file('bad.json');
    const text = typeof content === 'string' ? content : JSON.stringify({ version: 1, findings: [content] });
    await writeFile(path, text);
    let requests = 0;
    const before = fake.handle;
    fake.handle = (request) => {
      requests++;
      return before(request);
    };
    try {
      const { status, stderr } = await verify({}, '--known-findings', path);
      expect(status).toBe(2);
      expect(stderr).toMatch(/--known-findings ".*bad\.json"/);
      expect(stderr).toMatch(message);
      expect(requests).toBe(0);
    } finally {
      fake.handle = before;
    }
  });
});
