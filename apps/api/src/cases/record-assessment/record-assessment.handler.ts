import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { RecordAssessmentCommand } from './record-assessment.command';

@CommandHandler(RecordAssessmentCommand)
export class RecordAssessmentHandler extends CaseCommandHandler<RecordAssessmentCommand> {}
