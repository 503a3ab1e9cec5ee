import type { TransferCase } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class TransferCaseCommand extends CaseCommandMessage<TransferCase> {}
