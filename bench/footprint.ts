// 6. Install footprint: the packed tarball, and what a consumer's node_modules holds after installing it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const quiet = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

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

/** `spec` is what `npm pack` takes: a folder or a registry name@version (served from npm's cache). */
function measure(spec: string, cwd: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-footprint-'));
  try {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', spec, '--json', '--pack-destination', dir], {
        cwd,
        env: quiet,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as {
      filename: string;
      size: number;
      unpackedSize: number;
    }[];
    writeFileSync(join(dir, 'package.json'), '{"name":"consumer","private":true}');
    execFileSync('npm', ['install', '--offline', '--no-package-lock', join(dir, packed?.filename ?? '')], {
      cwd: dir,
      env: quiet,
      stdio: 'ignore',
    });
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
    'conversations-bindings-contract': measure(
      join(import.meta.dirname, '..'),
      join(import.meta.dirname, '..'),
    ),
    'twilio-node 6': measure('twilio@6.2.0', import.meta.dirname),
  };
}
