import { Command } from '@nestjs/cqrs';
import type { CaseCommand } from '@caseledger/domain';
import type { ExecuteResult } from '@caseledger/platform';
import type { CommandContext } from '../../common/http/command-context';

/** A case command on the CommandBus: the domain command, the case, and who/why. */
export abstract class CaseCommandMessage<
  C extends CaseCommand = CaseCommand,
> extends Command<ExecuteResult> {
  constructor(
    readonly caseId: string,
    readonly command: C,
    readonly context: CommandContext,
  ) {
    super();
  }
}
