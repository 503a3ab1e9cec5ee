import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The request and answer the API's guards, interceptors, filters and
 * controllers see: Fastify's (the HTTP adapter is @nestjs/platform-fastify).
 */
export type Request = FastifyRequest;

export type Response = FastifyReply;
