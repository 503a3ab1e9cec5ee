import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { CorrectEntryCommand } from './correct-entry.command';

@CommandHandler(CorrectEntryCommand)
export class CorrectEntryHandler extends CaseCommandHandler<CorrectEntryCommand> {}
