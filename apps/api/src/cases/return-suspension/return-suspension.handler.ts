import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { ReturnSuspensionCommand } from './return-suspension.command';

@CommandHandler(ReturnSuspensionCommand)
export class ReturnSuspensionHandler extends CaseCommandHandler<ReturnSuspensionCommand> {}
