import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
export type CaseledgerClient = Client<paths>;

export interface ClientOptions {
  /** Where the API answers, e.g. `https://caseledger.example.org`. */
  baseUrl: string;
  /** A bearer token, or a function that gives the current one (refreshed tokens). */
  token?: string | (() => string | Promise<string>);
  /** A fetch of your own (tests, proxies); defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A client whose paths, parameters, bodies and answers are the types of the
 * served OpenAPI document (`npm run client:generate` regenerates them; the
 * test suite fails when they no longer match).
 */
export function createCaseledgerClient(options: ClientOptions): CaseledgerClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { token } = options;
  if (token !== undefined) {
    const auth: Middleware = {
      async onRequest({ request }) {
        const value = typeof token === 'function' ? await token() : token;
        request.headers.set('Authorization', `Bearer ${value}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}
