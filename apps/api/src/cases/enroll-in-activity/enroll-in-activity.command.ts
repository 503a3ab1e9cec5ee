import type { EnrollInActivity } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class EnrollInActivityCommand extends CaseCommandMessage<EnrollInActivity> {}
