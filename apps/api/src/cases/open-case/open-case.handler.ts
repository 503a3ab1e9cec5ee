import { CommandHandler } from '@nestjs/cqrs';
import { CaseCommandExecutor, type ExecuteResult } from '@caseledger/platform';
import { CaseCommandHandler } from '../shared/case-command.handler';
import { OpenCaseCommand } from './open-case.command';
import { OpenCaseClaims } from './open-case-claims';

@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler extends CaseCommandHandler<OpenCaseCommand> {
  constructor(
    executor: CaseCommandExecutor,
    private readonly claims: OpenCaseClaims,
  ) {
    super(executor);
  }

  /** One ACTIVE case per customer and program (see OpenCaseClaims), then the shared path. */
  override async execute(message: OpenCaseCommand): Promise<ExecuteResult> {
    const d = message.command.data;
    const customerId = typeof d.customer?.id === 'string' ? d.customer.id : '';
    const claim = await this.claims.claim(
      customerId,
      d.program,
      message.caseId,
      d.duplicateReason !== undefined,
    );
    try {
      return await super.execute(message);
    } catch (error) {
      await claim.release();
      throw error;
    }
  }
}
