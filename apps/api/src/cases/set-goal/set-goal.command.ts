import type { SetGoal } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class SetGoalCommand extends CaseCommandMessage<SetGoal> {}
