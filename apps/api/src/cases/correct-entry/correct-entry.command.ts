import type { CorrectEntry } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class CorrectEntryCommand extends CaseCommandMessage<CorrectEntry> {}
