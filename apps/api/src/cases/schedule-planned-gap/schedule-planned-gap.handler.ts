import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { SchedulePlannedGapCommand } from './schedule-planned-gap.command';

@CommandHandler(SchedulePlannedGapCommand)
export class SchedulePlannedGapHandler extends CaseCommandHandler<SchedulePlannedGapCommand> {}
