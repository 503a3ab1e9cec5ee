import type { OvercomeBarrier } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class OvercomeBarrierCommand extends CaseCommandMessage<OvercomeBarrier> {}
