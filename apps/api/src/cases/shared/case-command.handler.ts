import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import { CaseCommandExecutor, type ExecuteResult } from '@caseledger/platform';
import type { CaseCommandMessage } from './case-command.message';

/**
 * Every case use case runs the same path: the shared executor reads
 * the stream, decides and appends with optimistic concurrency. A use case's
 * handler only binds its command class to it.
 */
@Injectable()
export abstract class CaseCommandHandler<
  M extends CaseCommandMessage,
> implements ICommandHandler<CaseCommandMessage> {
  constructor(private readonly executor: CaseCommandExecutor) {}

  execute(message: M): Promise<ExecuteResult> {
    const { actor, commandId, correlationId, expectedRevision, idempotency } = message.context;
    return this.executor.execute({
      caseId: message.caseId,
      command: message.command,
      actor,
      commandId,
      correlationId,
      causationId: correlationId,
      ...(expectedRevision !== undefined ? { expectedRevision } : {}),
      ...(idempotency ? { idempotency } : {}),
    });
  }
}
