import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { TransferCaseCommand } from './transfer-case.command';

@CommandHandler(TransferCaseCommand)
export class TransferCaseHandler extends CaseCommandHandler<TransferCaseCommand> {}
