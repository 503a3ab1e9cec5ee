import type { ReturnSuspension } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class ReturnSuspensionCommand extends CaseCommandMessage<ReturnSuspension> {}
