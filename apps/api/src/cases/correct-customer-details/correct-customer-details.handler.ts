import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { CorrectCustomerDetailsCommand } from './correct-customer-details.command';

@CommandHandler(CorrectCustomerDetailsCommand)
export class CorrectCustomerDetailsHandler extends CaseCommandHandler<CorrectCustomerDetailsCommand> {}
