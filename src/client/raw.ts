// client.raw: the openapi-fetch client typed by the contract. openapi-fetch is loaded on raw's first
// call (a bundler splits it out): the typed operations never need it, and most programs never call raw.
import type { Client, ClientOptions, Middleware } from 'openapi-fetch';
import type { paths } from './types.js';

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH' | 'TRACE' | 'request';
const METHODS: Method[] = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE', 'request'];

/** The openapi-fetch client with these options, created when it is first called. */
export function lazyRaw(options: ClientOptions): Client<paths> {
  let loaded: Promise<Client<paths>> | undefined;
  const middleware: Middleware[] = [];
  const client = () =>
    (loaded ??= import('openapi-fetch').then(({ default: createClient }) => {
      const created = createClient<paths>(options);
      if (middleware.length) created.use(...middleware);
      return created;
    }));
  const raw = {
    // Middleware registered before the first call waits for it; after it, it goes straight in.
    use(...added: Middleware[]) {
      middleware.push(...added);
      loaded?.then((c) => c.use(...added));
    },
    eject(...removed: Middleware[]) {
      for (const m of removed) middleware.splice(middleware.indexOf(m) >>> 0, 1);
      loaded?.then((c) => c.eject(...removed));
    },
  } as Record<string, unknown>;
  for (const method of METHODS)
    raw[method] = (...args: unknown[]) =>
      client().then((c) => (c[method] as (...a: unknown[]) => Promise<unknown>)(...args));
  return raw as unknown as Client<paths>;
}
