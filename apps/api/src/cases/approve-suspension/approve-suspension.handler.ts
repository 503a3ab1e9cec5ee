import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { ApproveSuspensionCommand } from './approve-suspension.command';

@CommandHandler(ApproveSuspensionCommand)
export class ApproveSuspensionHandler extends CaseCommandHandler<ApproveSuspensionCommand> {}
