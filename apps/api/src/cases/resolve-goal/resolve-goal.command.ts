import type { ResolveGoal } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class ResolveGoalCommand extends CaseCommandMessage<ResolveGoal> {}
