#!/usr/bin/env node
// The `bindings-contract` executable: runs the command line, stops it on SIGINT/SIGTERM, and exits
// with its status.
import { Stopped } from './io.js';
import { main } from './main.js';

const controller = new AbortController();
// Every signal is caught, not only the first: a second Ctrl-C must not kill this process before it has
// stopped what it started (Prism, the command of `mock --`) and written its report (the first one counts).
// SIGHUP too: a closed terminal or a dropped ssh session stops the run as Ctrl-C does, cleanly.
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(name, () => controller.abort(new Stopped(name)));
process.exitCode = await main(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
});
// A stopped run has said what it found: nothing it left behind (a socket a fetch ignored) keeps it alive.
if (controller.signal.aborted) setTimeout(() => process.exit(), 500).unref();
