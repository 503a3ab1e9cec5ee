import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { EnrollInActivityCommand } from './enroll-in-activity.command';

@CommandHandler(EnrollInActivityCommand)
export class EnrollInActivityHandler extends CaseCommandHandler<EnrollInActivityCommand> {}
