// The contract drill's second resource family: adds the provider's push credentials
// (test/fixtures/drill/credentials/) to a scratch copy of the contract, regenerates, and proves, with no
// line of src/ changed, that the contract lints, tsc is clean, and the drill's tests (test/drill/: the
// client, the fake, verify, fuzzing and coverage on the credential operations) pass.
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, scratchCopy } from './scratch-copy.ts';

const FIXTURE = 'test/fixtures/drill/credentials';
/** The component schemas the fixture adds, each named in the contract's components as the others are. */
const SCHEMAS = ['Credential', 'CredentialPushType', 'ListCredentialResponse'];

/** The contract with the credential paths and schemas added, as a maintainer would add them. */
export async function addCredentials(dir: string): Promise<void> {
  await cp(join(dir, FIXTURE, 'components'), join(dir, 'openapi/components'), { recursive: true });
  const spec = join(dir, 'openapi/openapi.yaml');
  const text = await readFile(spec, 'utf8');
  const paths = (await readFile(join(dir, FIXTURE, 'paths.yaml'), 'utf8'))
    .split('\n')
    .filter((line) => !line.startsWith('#') && line.trim())
    .map((line) => `  ${line}`)
    .join('\n');
  const schemas = SCHEMAS.map((s) => `    ${s}:\n      $ref: ./components/schemas/${s}.yaml`).join('\n');
  if (
    !text.includes('\ncomponents:\n') ||
    !text.trimEnd().endsWith('$ref: ./components/schemas/Problem.yaml')
  )
    throw new Error('The drill cannot add the credentials: openapi.yaml no longer ends with its schemas');
  await writeFile(
    spec,
    `${text.replace('\ncomponents:\n', `\n${paths}\ncomponents:\n`).trimEnd()}\n${schemas}\n`,
  );
}

/** Every file of src/ with its text: what the drill must not change. */
async function sourceOf(dir: string): Promise<string> {
  const files = (await readdir(join(dir, 'src'), { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return JSON.stringify(await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')])));
}

export async function credentialsDrill(): Promise<{ ok: boolean; lines: string[] }> {
  const scratch = await scratchCopy();
  const lines: string[] = ['Added the push credentials (ListCredential, FetchCredential, DeleteCredential).'];
  try {
    await addCredentials(scratch.dir);
    const before = await sourceOf(scratch.dir);
    const steps: [string, string, string[]][] = [
      ['the contract lints', 'npx', ['redocly', 'lint', '--max-problems', '50']],
      ['npm run generate', 'npx', ['tsx', 'scripts/generate.ts']],
      ['tsc is clean', 'npx', ['tsc', '-p', 'tsconfig.json']],
      ['the drill tests pass (test/drill/)', 'npx', ['vitest', 'run', '--config', 'vitest.drill.config.ts']],
    ];
    for (const [name, command, args] of steps) {
      const done = await run(command, args, scratch.dir);
      if (done.status !== 0) {
        lines.push(`✗ ${name}:\n${`${done.stdout}\n${done.stderr}`.trim().slice(-4000)}`);
        return { ok: false, lines };
      }
      lines.push(`✓ ${name}`);
    }
    const unchanged = (await sourceOf(scratch.dir)) === before;
    lines.push(unchanged ? '✓ with no line of src/ changed' : '✗ a step changed src/');
    return { ok: unchanged, lines };
  } finally {
    await scratch.done();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ok, lines } = await credentialsDrill();
  (ok ? console.log : console.error)(lines.join('\n'));
  process.exit(ok ? 0 : 1);
}
