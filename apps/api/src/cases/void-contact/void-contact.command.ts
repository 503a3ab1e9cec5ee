import type { VoidContact } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class VoidContactCommand extends CaseCommandMessage<VoidContact> {}
