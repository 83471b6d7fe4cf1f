// Services answered in the test's own process, for the tests of what verify judges (not of the wire): each
// has an origin of its own under `.test` (reserved, never resolved), and `inProcessFetch`, given to verify as
// its fetch (the command line's `Io.fetch`), hands each request to the handler of its origin. Over loopback
// HTTP the same run costs about 2.5 times the CPU; the tests of the wire (sockets, streams, hangs, sizes)
// keep their servers (test/support/fault-server.ts, serveFake).
import type { BindingsFake } from '../../src/testing/index.ts';

type Handle = (request: Request) => Response | Promise<Response>;

const services = new Map<string, Handle>();
let made = 0;

/** A service at an origin of its own, answered by the fake, or by `handle` (which may call the fake). */
export const inProcess = (fake: BindingsFake, handle: Handle = (request) => fake.handle(request)) =>
  answeredBy(handle);

/** A service at an origin of its own, each request answered by `handle`. */
export function answeredBy(handle: Handle) {
  made += 1;
  const url = `http://service-${made}.in-process.test`;
  services.set(url, handle);
  return {
    url,
    close: async () => {
      services.delete(url);
    },
  };
}

const IN_PROCESS = /^http:\/\/service-\d+\.in-process\.test$/;

/**
 * The fetch verify is given: a request to an in-process origin goes to its handler (one closed or never made
 * fails as a network error would); any other (the suite's Prism, `--mock stateful`) goes over the network.
 */
export const inProcessFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const { origin } = new URL(request.url);
  if (!IN_PROCESS.test(origin)) return await fetch(request);
  const handle = services.get(origin);
  if (!handle) throw new TypeError(`fetch failed: no service in this process at ${origin}`);
  return await handle(request);
};
