// 4. Cold start and 5. consumer type-check: whole processes, timed over interleaved rounds.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CREDENTIALS } from './contract.ts';
import { ratioCell, ratioVerdict, type Section, table } from './report.ts';
import { interleaved, spread } from './stats.ts';

const { username } = CREDENTIALS;

const here = import.meta.dirname;

function timed(command: string, args: string[], cwd = here): () => Promise<number> {
  return async () => {
    const start = process.hrtime.bigint();
    const run = spawnSync(command, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stderr}`);
    return ms;
  };
}

function coldStart(rounds: number) {
  return interleaved(
    {
      'node -e 0': timed(process.execPath, ['-e', '0']),
      'conversations-bindings-contract': timed(process.execPath, [
        '--input-type=module',
        '-e',
        `const { createBindingsClient } = await import('conversations-bindings-contract'); createBindingsClient({ username: '${username}', password: 'token' });`,
      ]),
      'twilio-node 6': timed(process.execPath, ['-e', `require('twilio')('${username}', 'token');`]),
    },
    rounds,
  );
}

const CONSUMERS = {
  'conversations-bindings-contract': `import { createBindingsClient, type Binding } from 'conversations-bindings-contract';
const client = createBindingsClient({ username: '${username}', password: 'token' });
export const binding: Promise<Binding> = client.fetchBinding({ chatServiceSid: 'IS…', sid: 'BS…' });
`,
  'twilio-node 6': `import twilio from 'twilio';
const client = twilio('${username}', 'token');
export const binding = client.conversations.v1.services('IS…').bindings('BS…').fetch();
`,
};

function typeCheck(rounds: number) {
  const tsc = join(here, '../node_modules/.bin/tsc');
  const contenders: Record<string, () => Promise<number>> = {};
  for (const [name, source] of Object.entries(CONSUMERS)) {
    const dir = join(here, '.typecheck', name.replace(/\W+/g, '-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'consumer.ts'), source);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      skipLibCheck: true,
      types: [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    contenders[name] = timed(tsc, ['-p', dir], here);
  }
  return interleaved(contenders, rounds);
}

const SDK = 'twilio-node 6';
const OURS = 'conversations-bindings-contract';

export const coldStartSection: Section = {
  number: 4,
  title: 'Cold start',
  async run({ rounds }) {
    const cold = await coldStart(rounds);
    return {
      markdown: [
        '## 4. Cold start: a process that imports the package and creates a client',
        '',
        ...table(
          ['process', 'wall time', 'vs twilio-node'],
          Object.entries(cold).map(([name, s]) => [name, spread(s, 'ms'), ratioCell(s, cold[SDK])]),
        ),
      ],
      verdicts: [ratioVerdict('cold start ≤ 0.6× twilio-node', cold[OURS], cold[SDK], { atMost: 0.6 })],
    };
  },
};

export const typeCheckSection: Section = {
  number: 5,
  title: 'Consumer type-check',
  async run({ rounds }) {
    // Each round is two tsc processes of seconds each: a third of the rounds is enough for their spread.
    const types = await typeCheck(Math.max(3, Math.round(rounds / 3)));
    return {
      markdown: [
        '## 5. Consumer type-check: `tsc --noEmit` of a one-file consumer (strict, nodenext, skipLibCheck)',
        '',
        ...table(
          ['consumer of', 'tsc time', 'vs twilio-node'],
          Object.entries(types).map(([name, s]) => [name, spread(s, 'ms', 0), ratioCell(s, types[SDK])]),
        ),
      ],
    };
  },
};
