// The drill (npm run test:drill), in a scratch copy whose contract has the push credentials added: verify
// runs its checks on the credential operations from the registry (no line of src/ was written for them),
// passes the stateful fake, fails a fake that breaks one of them naming it, and --fuzz generates their cases.
import { describe, expect, it } from 'vitest';
import { serveFake } from '../../src/cli/fake-server.ts';
import { main } from '../../src/cli/main.ts';
import type { Report } from '../../src/cli/report.ts';
import { createBindingsFake } from '../../src/testing/index.ts';
import { type Entry, exampleInstance } from '../support/registry.ts';
import { credential, deleteOp, fetchOp, listOp } from './credentials.ts';

const ops = [listOp, fetchOp, deleteOp];
const example = exampleInstance(credential);
const sidField = fetchOp.sid?.field ?? '';
/** The example credential as the i-th of several: its SID's last digits replaced (digits keep a hex pattern). */
const nth = (i: number) => ({
  ...example,
  [sidField]: String(example[sidField]).slice(0, -8) + String(i).padStart(8, '0'),
});
/** The flag naming a credential verify may delete, by the rule that names the Binding's (--delete-binding-sid). */
const deleteFlag = `--delete-${credential.singular.toLowerCase()}-${deleteOp.sid?.key}`;

/** verify with these arguments, its JSON report read back. */
async function verified(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  const status = await main(['verify', '--seed', '3', '--reporter', 'json', ...args], env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => {},
  });
  return { status, report: JSON.parse(stdout) as Report };
}

/** The stateful fake over HTTP holding two credentials, each answer passed through `breaks`. */
async function served(breaks?: (request: Request, response: Response) => Promise<Response> | Response) {
  const fake = createBindingsFake({ resources: { [credential?.schema ?? '']: [nth(0), nth(1)] } as never });
  const server = await serveFake(fake, {
    handle: async (request) => {
      const response = await fake.handle(request);
      return breaks ? breaks(request, response) : response;
    },
  });
  const env = { BINDINGS_USERNAME: fake.credentials.username, BINDINGS_PASSWORD: fake.credentials.password };
  return { ...server, env };
}

const operationOf = (report: Report, op: Entry) => report.operations?.find((o) => o.operation === op.id);

describe('verify, on a contract with the push credentials added', () => {
  it('against the embedded stateful fake: runs its checks on every credential operation, and passes', async () => {
    const { status, report } = await verified([]);
    for (const op of ops) {
      const run = operationOf(report, op);
      expect(run?.status, op.id).toBe('pass');
      expect(run?.requests, op.id).toBeGreaterThan(0);
      // Invalid input: the list has no path parameter but query ones, the fetch and the delete a SID.
      const invalid = op.action === 'list' ? 'negative_query_data' : 'negative_data';
      expect(run?.checks.map((c) => c.name)).toEqual(
        expect.arrayContaining(['auth_no_credentials', 'auth_wrong_credentials', invalid]),
      );
    }
    expect(operationOf(report, fetchOp)?.checks.find((c) => c.name === 'known_binding')?.status).toBe('pass');
    expect(operationOf(report, listOp)?.checks.find((c) => c.name === 'list_pagination')?.status).toBe(
      'pass',
    );
    expect(status).toBe(0);
  });

  it(`with ${deleteFlag} (a flag of its own, from the registry): deletes that credential, and it stays deleted`, async () => {
    const server = await served();
    try {
      const doomed = String(nth(1)[sidField]);
      const { status, report } = await verified(['--base-url', server.url, deleteFlag, doomed], server.env);
      const deleted = operationOf(report, deleteOp)
        ?.checks.filter((c) => c.status === 'pass')
        .map((c) => c.name);
      expect(deleted).toEqual(
        expect.arrayContaining(['delete_binding', 'use_after_free', 'deleted_not_listed', 'delete_twice']),
      );
      expect(report.instances).toContainEqual({
        resource: credential.schema,
        sid: String(nth(0)[sidField]),
        found: 'listed',
      });
      expect(status).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('fails a fake whose credential list ignores credentials, naming the operation', async () => {
    const server = await served((request, response) =>
      new URL(request.url).pathname === new URL(listOp.path, 'http://x').pathname &&
      !request.headers.get('authorization')
        ? new Response(JSON.stringify({ [listOp.list?.key ?? '']: [] }), { status: listOp.success.status })
        : response,
    );
    try {
      const { status, report } = await verified(['--base-url', server.url], server.env);
      const auth = report.checks.find((c) => c.name === 'auth_no_credentials');
      expect(auth?.status).toBe('fail');
      expect(auth?.evidence.map((e) => e.operation)).toEqual([listOp.id]);
      expect(operationOf(report, listOp)?.status).toBe('fail');
      expect(status).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('--fuzz generates cases for every credential operation', async () => {
    const server = await served();
    try {
      const doomed = String(nth(1)[sidField]);
      const { status, report } = await verified(
        ['--base-url', server.url, '--fuzz', '10', deleteFlag, doomed],
        server.env,
      );
      for (const op of ops) {
        const fuzz = operationOf(report, op)?.checks.find((c) => c.name === `fuzz_${op.action}`);
        expect(fuzz?.status, op.id).toBe('pass');
      }
      expect(status).toBe(0);
    } finally {
      await server.close();
    }
  });
});
