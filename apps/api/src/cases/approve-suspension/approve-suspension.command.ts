import type { ApproveSuspension } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class ApproveSuspensionCommand extends CaseCommandMessage<ApproveSuspension> {}
