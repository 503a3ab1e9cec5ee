import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { OvercomeBarrierCommand } from './overcome-barrier.command';

@CommandHandler(OvercomeBarrierCommand)
export class OvercomeBarrierHandler extends CaseCommandHandler<OvercomeBarrierCommand> {}
