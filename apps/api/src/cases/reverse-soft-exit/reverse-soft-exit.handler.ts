import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { ReverseSoftExitCommand } from './reverse-soft-exit.command';

@CommandHandler(ReverseSoftExitCommand)
export class ReverseSoftExitHandler extends CaseCommandHandler<ReverseSoftExitCommand> {}
