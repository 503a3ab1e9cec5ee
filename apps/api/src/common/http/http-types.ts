import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The slice of Express's request and response that the API uses (Express's own
 * type package is not a dependency; these are what platform-express hands us).
 */
export interface Request extends IncomingMessage {
  originalUrl: string;
  body?: unknown;
}

export interface Response extends ServerResponse {
  status(code: number): this;
  type(contentType: string): this;
  send(body?: unknown): this;
  json(body: unknown): this;
}

export type NextFunction = (error?: unknown) => void;
