import { DomainError } from '@caseledger/domain';
import { ConcurrencyError } from '@caseledger/event-store';
import { toProblem } from './problem-details.filter';

describe('toProblem', () => {
  it("answers the store's ConcurrencyError with 409 under the CONCURRENCY id, naming the stream", () => {
    const error = new ConcurrencyError('case-1', '3', '4');
    expect(error).not.toBeInstanceOf(DomainError);
    expect(toProblem(error)).toEqual(
      expect.objectContaining({
        status: 409,
        ruleId: 'CONCURRENCY',
        type: expect.stringMatching(/CONCURRENCY$/) as unknown,
        detail: 'stream case-1 is at 4, expected 3',
      }),
    );
  });

  it('still maps a domain refusal by its kind', () => {
    expect(toProblem(new DomainError('R8', 'rule', 'no contact in 90 days')).status).toBe(422);
  });
});
