import type { EndPlannedGap } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class EndPlannedGapCommand extends CaseCommandMessage<EndPlannedGap> {}
