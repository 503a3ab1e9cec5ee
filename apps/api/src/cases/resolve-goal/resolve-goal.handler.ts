import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { ResolveGoalCommand } from './resolve-goal.command';

@CommandHandler(ResolveGoalCommand)
export class ResolveGoalHandler extends CaseCommandHandler<ResolveGoalCommand> {}
