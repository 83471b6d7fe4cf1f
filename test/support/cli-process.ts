// The command line as its own process, for the tests that need one (signals, process groups, pipes, stdio):
// src/cli/bin.ts bundled once by test/global-setup-processes.ts (esbuild; packages stay external, read from
// node_modules). Starting it costs half what starting the sources through tsx does, and it runs the same
// code: the bundle is made from src/ at the start of every run. It sits two folders down, as src/cli/bin.ts does, so the paths
// the command line finds beside itself (generated/, the package root) are the same.
import { fileURLToPath } from 'node:url';

export const CLI_BUNDLE = fileURLToPath(new URL('../../build/test-cli/bin.mjs', import.meta.url));

/** The arguments that start the command line with `args`: spawn(process.execPath, cliArgs(…)). */
export const cliArgs = (args: readonly string[]): string[] => [CLI_BUNDLE, ...args];
