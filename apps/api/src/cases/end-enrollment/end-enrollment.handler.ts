import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { EndEnrollmentCommand } from './end-enrollment.command';

@CommandHandler(EndEnrollmentCommand)
export class EndEnrollmentHandler extends CaseCommandHandler<EndEnrollmentCommand> {}
