import type { SchedulePlannedGap } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class SchedulePlannedGapCommand extends CaseCommandMessage<SchedulePlannedGap> {}
