import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { SuspendCaseCommand } from './suspend-case.command';

@CommandHandler(SuspendCaseCommand)
export class SuspendCaseHandler extends CaseCommandHandler<SuspendCaseCommand> {}
