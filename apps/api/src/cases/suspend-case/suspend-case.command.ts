import type { SuspendCase } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class SuspendCaseCommand extends CaseCommandMessage<SuspendCase> {}
