// The suite's Prism (test/global-setup.ts spawns it without waiting): a test file that talks to it calls
// `beforeAll(prismReady)` first, which waits until Prism answers, once per worker.
import { inject } from 'vitest';

const START_TIMEOUT_MS = 30_000;
let ready: Promise<string> | undefined;

/** The suite's Prism URL, once Prism answers there (its own error page names it). */
export function prismReady(): Promise<string> {
  ready ??= (async () => {
    const url = inject('prismUrl');
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const text = await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.text(),
        () => '',
      );
      if (text.includes('stoplight.io/prism')) return url;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the suite's Prism did not answer on ${url} within ${START_TIMEOUT_MS} ms`);
  })();
  return ready;
}
