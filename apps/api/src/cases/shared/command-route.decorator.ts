import { HttpCode, Post, UseInterceptors, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { WriteAccess } from '../../common/auth/auth.decorators';
import { CommandInterceptor } from '../../common/http/command.interceptor';
import { PROBLEM_CONTENT_TYPE } from '../../common/problems/problem-details';
import { ProblemDto } from './responses';

const problem = (status: number, description: string): MethodDecorator =>
  ApiResponse({
    status,
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDto' } } },
  });

/** Problem responses every authenticated route can give. */
export const ApiAuthProblems = (): MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiExtraModels(ProblemDto),
    problem(400, 'Malformed JSON or invalid input (field errors listed)'),
    problem(401, 'No valid bearer token'),
    problem(403, 'The role or career center may not do this (R13, R16; auditors write nothing)'),
    problem(404, 'No such case (or entity in it)'),
    problem(429, 'Too many requests from this client (RATE_LIMIT_REQUESTS); see Retry-After'),
  );

/**
 * A case command endpoint (DESIGN.md "HTTP contract"): write roles only,
 * Idempotency-Key and If-Match, and the problem responses of the contract.
 */
export function CommandRoute(options: {
  path: string;
  status: 200 | 201;
  summary: string;
  type: new () => object;
}): MethodDecorator {
  return applyDecorators(
    Post(options.path),
    HttpCode(options.status),
    WriteAccess(),
    UseInterceptors(CommandInterceptor),
    ApiTags('case commands'),
    ApiOperation({ summary: options.summary }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Same key and body: the same answer and no new events; another body: 422',
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The revision the client read, "<revision>"; stale: 412',
    }),
    ApiResponse({ status: options.status, type: options.type }),
    ApiAuthProblems(),
    problem(409, 'Concurrent change kept conflicting, or the case already exists'),
    problem(412, 'If-Match named a revision the case has moved past'),
    problem(422, 'A domain rule refused the command; `type` names the rule (e.g. …/problems/R3)'),
  );
}
