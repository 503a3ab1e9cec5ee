import type { CorrectCustomerDetails } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class CorrectCustomerDetailsCommand extends CaseCommandMessage<CorrectCustomerDetails> {}
