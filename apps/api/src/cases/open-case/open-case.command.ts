import type { OpenCase } from '@caseledger/domain';
import { CaseCommandMessage } from '../shared/case-command.message';

export class OpenCaseCommand extends CaseCommandMessage<OpenCase> {}
