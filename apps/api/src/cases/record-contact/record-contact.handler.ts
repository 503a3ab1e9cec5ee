import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { RecordContactCommand } from './record-contact.command';

@CommandHandler(RecordContactCommand)
export class RecordContactHandler extends CaseCommandHandler<RecordContactCommand> {}
