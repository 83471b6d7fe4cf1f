// 6. Install footprint: the packed tarball, and what a consumer's node_modules holds after installing it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Section, table } from './report.ts';
import { fmt } from './stats.ts';

const here = import.meta.dirname;
const root = join(here, '..');

const quiet = {
  ...process.env,
  SCARF_ANALYTICS: 'false',
  DO_NOT_TRACK: '1',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

/** The twilio-node version bench/ pins, so the footprint is the one the other sections measure. */
const sdkVersion = (
  JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  }
).dependencies.twilio;

function diskUsage(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += diskUsage(path);
    else if (entry.isFile()) bytes += statSync(path).size;
  }
  return bytes;
}

function packageCount(nodeModules: string): number {
  let count = 0;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) count += packageCount(join(nodeModules, entry.name));
    else {
      count++;
      const nested = join(nodeModules, entry.name, 'node_modules');
      if (statSync(nested, { throwIfNoEntry: false })?.isDirectory()) count += packageCount(nested);
    }
  }
  return count;
}

/** Runs npm; a failure says which command and the end of what npm printed. */
function npm(args: string[], cwd: string): string {
  try {
    return execFileSync('npm', args, {
      cwd,
      env: quiet,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // npm's own lines say little ("command failed"): the failing script's output says why.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout ?? ''}\n${stderr ?? ''}`
      .split('\n')
      .filter((line) => line.trim() && !/^npm (error|ERR!) (A complete log|command|Lifecycle)/.test(line))
      .slice(-4)
      .join(' / ');
    throw new Error(`npm ${args.join(' ')} failed: ${tail}`);
  }
}

/**
 * `spec` is what `npm pack` takes: a folder or a registry name@version. Both steps prefer npm's cache
 * but ask the registry for what it lacks (`--offline` would fail on a fresh cache: the dependencies'
 * metadata is not in it).
 */
function measure(spec: string, cwd: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-footprint-'));
  try {
    const [packed] = JSON.parse(
      npm(['pack', spec, '--prefer-offline', '--json', '--pack-destination', dir], cwd),
    ) as { filename: string; size: number; unpackedSize: number }[];
    writeFileSync(join(dir, 'package.json'), '{"name":"consumer","private":true}');
    npm(['install', '--prefer-offline', '--no-package-lock', join(dir, packed?.filename ?? '')], dir);
    return {
      tarball: packed?.size ?? 0,
      unpacked: packed?.unpackedSize ?? 0,
      packages: packageCount(join(dir, 'node_modules')),
      nodeModules: diskUsage(join(dir, 'node_modules')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function footprint() {
  return {
    'conversations-bindings-contract': measure(root, root),
    'twilio-node 6': measure(`twilio@${sdkVersion}`, here),
  };
}

export const footprintSection: Section = {
  number: 6,
  title: 'Install footprint',
  async run() {
    const installs = footprint();
    return {
      markdown: [
        '## 6. Install footprint',
        '',
        ...table(
          ['package', 'packed tarball', 'unpacked', 'packages a consumer installs', 'node_modules on disk'],
          Object.entries(installs).map(([name, s]) => [
            name,
            fmt(s.tarball / 1024, 'KB'),
            fmt(s.unpacked / 1024, 'KB'),
            String(s.packages),
            fmt(s.nodeModules / 1024 / 1024, 'MB', 2),
          ]),
        ),
      ],
    };
  },
};
