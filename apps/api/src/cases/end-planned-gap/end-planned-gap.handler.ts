import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { EndPlannedGapCommand } from './end-planned-gap.command';

@CommandHandler(EndPlannedGapCommand)
export class EndPlannedGapHandler extends CaseCommandHandler<EndPlannedGapCommand> {}
