import type { RecordEmployment } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class RecordEmploymentCommand extends CaseCommandMessage<RecordEmployment> {}
