import type { ReverseSoftExit } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class ReverseSoftExitCommand extends CaseCommandMessage<ReverseSoftExit> {}
