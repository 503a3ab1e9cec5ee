import type { RecordContact } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class RecordContactCommand extends CaseCommandMessage<RecordContact> {}
