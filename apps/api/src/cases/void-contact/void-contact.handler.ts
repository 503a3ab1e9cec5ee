import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { VoidContactCommand } from './void-contact.command';

@CommandHandler(VoidContactCommand)
export class VoidContactHandler extends CaseCommandHandler<VoidContactCommand> {}
