// Reports: JUnit XML with one testcase per check, JSON that round-trips, and an exact text summary.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFacts, parameterRules } from '../../generated/contract.js';
import type { Report } from '../../src/cli/report.ts';
import { jsonReport, junitReport, summaryLine, textReport } from '../../src/cli/reporters.ts';
import { verify } from '../../src/cli/verify.ts';
import { bindingPath, exampleSids, spec } from '../support/contract.ts';
import { type ContractServer, serverCredentials, startContractServer } from '../support/contract-server.ts';
import { inProcessFetch } from '../support/in-process.ts';

let server: ContractServer;
let report: Report;
beforeAll(async () => {
  // A service with a fault, verified as if it were the mock: failures, passes and skips in one report.
  server = await startContractServer('malformed date');
  report = await verify({
    baseUrl: server.url,
    ...serverCredentials,
    instances: {
      parents: { chatServiceSid: exampleSids.chatServiceSid },
      known: { ServiceBinding: exampleSids.sid },
    },
    seed: 11,
    timeoutMs: 5000,
    mock: true,
    maxPages: 5,
    pageSize: Number(parameterRules.PageSize.default),
    maxResponseBytes: 1 << 20,
    fetch: inProcessFetch,
  });
});
afterAll(() => server.close());

describe('reports', () => {
  it('cover every check, and count them', () => {
    expect(report.checks.map((c) => c.status)).toEqual([
      'fail',
      'pass',
      'pass',
      'pass',
      'skip',
      'skip',
      'fail',
      'pass',
      'pass',
      // The list and delete checks, after the first nine: delete is skipped without a binding to delete.
      'pass',
      'pass',
      'skip',
      'pass',
      'skip',
      'skip',
      'skip',
      'skip',
      // The fuzz checks run only with --fuzz N.
      'skip',
      'skip',
      'skip',
      // Every operation was called.
      'pass',
    ]);
    expect(report.summary).toEqual({ passed: 9, failed: 2, skipped: 10, errored: 0 });
  });

  it('text: a line per check, then each failure with its evidence, then the exact summary', () => {
    const lines = textReport(report).trimEnd().split('\n');
    expect(lines.at(-1)).toBe('9 passed, 2 failed, 10 skipped');
    expect(summaryLine({ ...report, summary: { passed: 9, failed: 0, skipped: 0, errored: 0 } })).toBe(
      '9 passed, 0 failed',
    );
    expect(lines.filter((l) => /^[✓✗○] \w+: /.test(l))).toHaveLength(report.checks.length);
    const failure = lines.indexOf('✗ known_binding');
    expect(failure).toBeGreaterThan(report.checks.length);
    const ok = String(operationFacts.FetchServiceBinding.successStatus);
    const format = spec.components.schemas.ServiceBinding.properties.date_created.format;
    expect(lines[failure + 1]).toBe(
      `  FetchServiceBinding: GET ${bindingPath(exampleSids.chatServiceSid, exampleSids.sid)} → ${ok}`,
    );
    expect(lines[failure + 2]).toBe(
      `    body /date_created: must match format "${format}" (got "21/10/2016 11:37")`,
    );
  });

  it('junit: well-formed XML with one testcase per check, failures and skips marked', () => {
    const text = junitReport(report);
    expect(XMLValidator.validate(text)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text);
    const suite = parsed.testsuites.testsuite;
    const cases = suite.testcase as { name: string; failure?: unknown; skipped?: unknown }[];
    expect(cases.map((c) => c.name)).toEqual(report.checks.map((c) => c.name));
    expect(cases.filter((c) => c.failure).map((c) => c.name)).toEqual([
      'known_binding',
      'status_conformance',
    ]);
    expect(cases.filter((c) => c.skipped !== undefined)).toHaveLength(10);
    expect(suite).toMatchObject({ tests: '21', failures: '2', skipped: '10' });
  });

  it('json: round-trips to the same report', () => {
    expect(JSON.parse(jsonReport(report))).toStrictEqual(report);
  });
});
