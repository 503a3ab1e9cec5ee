import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { RecordEmploymentCommand } from './record-employment.command';

@CommandHandler(RecordEmploymentCommand)
export class RecordEmploymentHandler extends CaseCommandHandler<RecordEmploymentCommand> {}
