import type { RecordAssessment } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class RecordAssessmentCommand extends CaseCommandMessage<RecordAssessment> {}
