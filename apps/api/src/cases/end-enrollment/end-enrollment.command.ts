import type { EndEnrollment } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class EndEnrollmentCommand extends CaseCommandMessage<EndEnrollment> {}
