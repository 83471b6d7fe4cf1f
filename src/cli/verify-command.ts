// `bindings-contract verify`: checks a service (or an embedded mock) against the contract and prints the
// report. Every flag is checked before anything is sent; Ctrl-C, SIGTERM and --max-time stop the run,
// which still reports what it found.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { schemaExamples } from '../../generated/contract.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../client/body.js';
import { quoted } from '../client/quote.js';
import { bindingFor, createBindingsFake } from '../testing/index.js';
import { serveFake } from './fake-server.js';
import {
  baseUrl,
  CREDENTIALS_HINT,
  credentialsFrom,
  integer,
  pageSize,
  sid,
  UsageError,
  writable,
} from './flags.js';
import { EXIT, type Io } from './io.js';
import { startPrism } from './prism.js';
import { reporters, textReport } from './reporters.js';
import { seededRandom, validValue } from './seeded.js';
import { verify } from './verify.js';

/** The longest a whole run may take by default (each request has its own --timeout-ms too). */
export const DEFAULT_MAX_TIME_S = 300;

/** An embedded target: its URL, how to stop it, and what verify must be told about it. */
interface Embedded {
  url: string;
  stop(): Promise<void>;
  mock: boolean;
  credentials: { username: string; password: string };
  deleteBindingSid?: string;
}

/** The stateful fake over HTTP, holding the contract's example and a second binding verify may delete. */
async function statefulTarget(known: string): Promise<Embedded> {
  const deletable = bindingFor({});
  const fake = createBindingsFake({ bindings: [...createBindingsFake().bindings, deletable] });
  const server = await serveFake(fake);
  const deleteBindingSid = deletable.sid === known ? undefined : (deletable.sid as string);
  return {
    url: server.url,
    stop: server.close,
    mock: false,
    credentials: fake.credentials,
    deleteBindingSid,
  };
}

async function prismTarget(io: Io, signal: AbortSignal, seed: number, known: string): Promise<Embedded> {
  const prism = await (io.startPrism ?? startPrism)({ signal });
  // The mock stores nothing: deleting a binding of its own choosing destroys nothing.
  let deleteBindingSid = validValue('Sid', seededRandom(~seed));
  if (deleteBindingSid === known) deleteBindingSid = validValue('Sid', seededRandom(seed));
  // It accepts any well-formed Basic credentials: the contract's example account.
  const credentials = { username: schemaExamples.AccountSid[0], password: 'embedded-mock' };
  return { url: prism.url, stop: prism.stop, mock: true, credentials, deleteBindingSid };
}

export async function runVerify(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'base-url': { type: 'string' },
      mock: { type: 'string' },
      'chat-service-sid': { type: 'string' },
      'binding-sid': { type: 'string' },
      'delete-binding-sid': { type: 'string' },
      'max-pages': { type: 'string' },
      'page-size': { type: 'string' },
      reporter: { type: 'string', default: 'text' },
      output: { type: 'string' },
      seed: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'max-time': { type: 'string' },
    },
  });
  const target = baseUrl(values['base-url']);
  const engine = values.mock ?? 'prism';
  if (!['prism', 'stateful'].includes(engine))
    throw new UsageError(`--mock must be prism or stateful, got ${quoted(engine)}`);
  if (target && values.mock)
    throw new UsageError('--mock and --base-url exclude each other: one target at a time');
  const reporter = values.reporter ?? 'text';
  if (!Object.hasOwn(reporters, reporter))
    throw new UsageError(`--reporter must be text, json or junit, got ${quoted(reporter)}`);
  if (values.output !== undefined) await writable(values.output);
  const chatServiceSid = sid('chat-service-sid', 'chatServiceSid', values['chat-service-sid']);
  const bindingSid = sid('binding-sid', 'sid', values['binding-sid']);
  const seed =
    integer('seed', values.seed, 0, 2 ** 32 - 1) ?? crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  const timeoutMs = integer('timeout-ms', values['timeout-ms'], 1, 600_000) ?? 10_000;
  const maxTime = integer('max-time', values['max-time'], 1, 86_400) ?? DEFAULT_MAX_TIME_S;
  const maxPages = integer('max-pages', values['max-pages'], 1, 1000) ?? 5;
  const walkPageSize = pageSize(values['page-size']);
  const given = values['delete-binding-sid'];
  const deleteBindingSid = given === undefined ? undefined : sid('delete-binding-sid', 'sid', given);
  if (deleteBindingSid === bindingSid)
    throw new UsageError(
      '--delete-binding-sid must name another binding than --binding-sid: the known one must stay',
    );
  const credentials = credentialsFrom(env);
  if (target && !credentials) throw new UsageError(`${CREDENTIALS_HINT} to verify ${target}`);

  const overtime = new AbortController();
  const clock = setTimeout(
    () => overtime.abort(new Error(`the run passed --max-time ${maxTime} s`)),
    maxTime * 1000,
  );
  const signal = io.signal ? AbortSignal.any([io.signal, overtime.signal]) : overtime.signal;
  let embedded: Embedded | undefined;
  const status = await (async () => {
    try {
      if (!target)
        embedded = await (engine === 'stateful'
          ? statefulTarget(bindingSid)
          : prismTarget(io, signal, seed, bindingSid)
        ).catch((error: unknown) => {
          // Stopped while the mock started: the report still says so (every check not finished).
          if (signal.aborted) return undefined;
          throw error;
        });
      const report = await verify({
        baseUrl: target ?? embedded?.url ?? `(the embedded ${engine} mock, not started)`,
        ...(embedded?.credentials ?? credentials ?? { username: '', password: '' }),
        chatServiceSid,
        bindingSid,
        seed,
        timeoutMs,
        mock: embedded?.mock ?? false,
        maxPages,
        pageSize: walkPageSize,
        deleteBindingSid: deleteBindingSid ?? embedded?.deleteBindingSid,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        signal,
      });
      const rendered = reporters[reporter as keyof typeof reporters](report);
      if (values.output !== undefined) {
        io.stdout(textReport(report));
        await writeFile(values.output, rendered).catch((error: unknown) => {
          // The run is not lost: the report goes to stdout instead, and the status says the file is missing.
          if (reporter !== 'text') io.stdout(rendered);
          const code = (error as NodeJS.ErrnoException)?.code ?? 'an error';
          throw new UsageError(`--output ${quoted(values.output ?? '')} could not be written (${code})`);
        });
      } else io.stdout(rendered);
      return report.summary.errored ? EXIT.internal : report.summary.failed ? EXIT.failed : EXIT.passed;
    } finally {
      clearTimeout(clock);
      await embedded?.stop();
    }
  })().catch((error: unknown) => {
    if (io.signal?.aborted) throw io.signal.reason;
    throw error;
  });
  // A stop that came in while the mock was stopping still decides the status.
  if (io.signal?.aborted) throw io.signal.reason;
  return status;
}
