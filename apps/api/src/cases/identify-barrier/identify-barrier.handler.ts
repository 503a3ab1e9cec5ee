import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { IdentifyBarrierCommand } from './identify-barrier.command';

@CommandHandler(IdentifyBarrierCommand)
export class IdentifyBarrierHandler extends CaseCommandHandler<IdentifyBarrierCommand> {}
