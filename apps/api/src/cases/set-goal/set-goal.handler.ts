import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { SetGoalCommand } from './set-goal.command';

@CommandHandler(SetGoalCommand)
export class SetGoalHandler extends CaseCommandHandler<SetGoalCommand> {}
