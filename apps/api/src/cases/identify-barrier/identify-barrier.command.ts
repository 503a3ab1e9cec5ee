import type { IdentifyBarrier } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class IdentifyBarrierCommand extends CaseCommandMessage<IdentifyBarrier> {}
