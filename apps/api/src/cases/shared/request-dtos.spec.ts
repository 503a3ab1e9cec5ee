import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { COMPLETE_JOB, JUSTIFICATION, PROGRESS } from '@caseledger/domain/testing';
import { createValidationPipe } from '../../common/http/validation';
import { ProblemException, type ProblemDetails } from '../../common/problems/problem-details';
import { IdentifyBarrierRequestDto } from '../identify-barrier/identify-barrier.request.dto';
import { OpenCaseRequestDto } from '../open-case/open-case.request.dto';
import { OvercomeBarrierRequestDto } from '../overcome-barrier/overcome-barrier.request.dto';
import { RecordContactRequestDto } from '../record-contact/record-contact.request.dto';
import { RecordEmploymentRequestDto } from '../record-employment/record-employment.request.dto';
import { ReturnSuspensionRequestDto } from '../return-suspension/return-suspension.request.dto';
import { ReverseSoftExitRequestDto } from '../reverse-soft-exit/reverse-soft-exit.request.dto';
import { SchedulePlannedGapRequestDto } from '../schedule-planned-gap/schedule-planned-gap.request.dto';
import { SetGoalRequestDto } from '../set-goal/set-goal.request.dto';
import { SuspendCaseRequestDto } from '../suspend-case/suspend-case.request.dto';
import { TransferCaseRequestDto } from '../transfer-case/transfer-case.request.dto';
import { VoidContactRequestDto } from '../void-contact/void-contact.request.dto';

/**
 * Parse once at the edge: the request DTOs are where a command's shape is
 * judged (the domain takes parsed commands and judges rules only). These are
 * the refusals that `decide` made before and the edge makes now, each a 400
 * naming its field once; the e2e specs prove the same over HTTP, with nothing
 * appended.
 */
const NOW = new Date('2025-03-01T12:00:00Z');
const pipe = createValidationPipe(() => NOW);

async function problemOf(dto: Type, body: Record<string, unknown>): Promise<ProblemDetails> {
  try {
    await pipe.transform(body, { type: 'body', metatype: dto, data: '' });
  } catch (error) {
    if (error instanceof ProblemException) return error.problem;
    throw error;
  }
  throw new Error('the body was accepted');
}

const accepted = (dto: Type, body: Record<string, unknown>): Promise<unknown> =>
  pipe.transform(body, { type: 'body', metatype: dto, data: '' });

/** The 400 under `ruleId` that names exactly `fields`, each once. */
const refusal = (ruleId: string, fields: string[]): unknown =>
  expect.objectContaining({
    status: 400,
    type: `https://caseledger.dev/problems/${ruleId}`,
    errors: fields.map((field): unknown => expect.objectContaining({ field })),
  });

const openBody = (over: Record<string, unknown> = {}) => ({
  customer: { id: 'cust-1', firstName: 'Jordan', lastName: 'Ames' },
  program: 'WIOA_ADULT',
  careerCenterId: 'cc-springfield',
  localAreaId: 'MO-DEFAULT',
  caseManagerId: 'staff-cm-1',
  openedOn: '2025-01-06',
  ...over,
});

const contactBody = (over: Record<string, unknown> = {}) => ({
  method: 'IN_PERSON',
  party: 'CUSTOMER',
  outcome: 'REACHED',
  occurredOn: '2025-02-20',
  progress: PROGRESS,
  justification: JUSTIFICATION,
  ...over,
});

const job = (over: Record<string, unknown> = {}) => ({ ...COMPLETE_JOB, ...over });

describe('request DTOs parse a command once, at the edge', () => {
  it('BUSINESS_DATE: a malformed date (2025-02-30) never reaches the domain', async () => {
    expect(
      await problemOf(RecordContactRequestDto, contactBody({ occurredOn: '2025-02-30' })),
    ).toEqual(refusal('validation', ['occurredOn']));
  });

  it('R1: a program outside the program groups is refused under R1', async () => {
    expect(await problemOf(OpenCaseRequestDto, openBody({ program: 'WIA_SENIOR' }))).toEqual(
      refusal('R1', ['program']),
    );
  });

  it('R2: a case manager, career center or local area of blanks is refused under R2', async () => {
    expect(await problemOf(OpenCaseRequestDto, openBody({ caseManagerId: '  ' }))).toEqual(
      refusal('R2', ['caseManagerId']),
    );
    expect(await problemOf(OpenCaseRequestDto, openBody({ careerCenterId: ' ' }))).toEqual(
      refusal('R2', ['careerCenterId']),
    );
  });

  it('a case without its customer is refused', async () => {
    const { customer: _none, ...body } = openBody();
    expect(await problemOf(OpenCaseRequestDto, body)).toEqual(refusal('validation', ['customer']));
  });

  it('a customer name of blanks is refused, as an empty one is', async () => {
    const blank = await problemOf(
      OpenCaseRequestDto,
      openBody({ customer: { id: 'c', firstName: ' \t', lastName: 'X' } }),
    );
    const empty = await problemOf(
      OpenCaseRequestDto,
      openBody({ customer: { id: 'c', firstName: '', lastName: 'X' } }),
    );
    expect(blank).toEqual(refusal('validation', ['customer.firstName']));
    expect(blank.errors).toEqual(empty.errors);
  });

  it('R10: a planned gap with a reason outside the list is refused', async () => {
    expect(
      await problemOf(SchedulePlannedGapRequestDto, {
        startDate: '2025-03-05',
        endDate: '2025-03-06',
        reason: 'VACATION',
      }),
    ).toEqual(refusal('validation', ['reason']));
  });

  it('R11: a barrier without a plan, or overcome without saying how, is refused', async () => {
    const barrier = {
      category: 'TRANSPORTATION',
      description: 'No car; the bus does not reach the training site.',
      identifiedOn: '2025-02-01',
    };
    expect(await problemOf(IdentifyBarrierRequestDto, { ...barrier, plan: '' })).toEqual(
      refusal('validation', ['plan']),
    );
    expect(await problemOf(IdentifyBarrierRequestDto, { ...barrier, plan: '   ' })).toEqual(
      refusal('validation', ['plan']),
    );
    expect(
      await problemOf(OvercomeBarrierRequestDto, { how: ' ', overcomeOn: '2025-02-10' }),
    ).toEqual(refusal('validation', ['how']));
  });

  it('R12: a transfer of blanks is refused; a blank target area stays "the same area"', async () => {
    const transfer = {
      toCareerCenterId: 'cc-joplin',
      toCaseManagerId: 'staff-cm-2',
      reason: 'The customer moved to Joplin.',
    };
    expect(await problemOf(TransferCaseRequestDto, { ...transfer, reason: ' ' })).toEqual(
      refusal('validation', ['reason']),
    );
    await expect(
      accepted(TransferCaseRequestDto, { ...transfer, toLocalAreaId: ' ' }),
    ).resolves.toMatchObject({ toLocalAreaId: ' ' });
  });

  it('R14: job information that is incomplete (no wage, no benefits, a blank title) is refused', async () => {
    expect(
      await problemOf(SuspendCaseRequestDto, {
        reason: 'EMPLOYMENT_ATTAINED',
        details: '',
        job: job({ hourlyWage: 0 }),
      }),
    ).toEqual(refusal('validation', ['job.hourlyWage']));
    expect(
      await problemOf(RecordEmploymentRequestDto, {
        job: job({ benefits: '', title: ' ' }),
        startDate: '2025-02-01',
      }),
    ).toEqual(refusal('validation', ['job.title', 'job.benefits']));
    expect(await problemOf(RecordEmploymentRequestDto, { startDate: '2025-02-01' })).toEqual(
      refusal('validation', ['job']),
    );
  });

  it('a desired wage range whose max is below its min is refused', async () => {
    expect(
      await problemOf(SetGoalRequestDto, {
        statement: 'Full-time work in logistics',
        wageRangeDesired: { min: 20, max: 15 },
      }),
    ).toEqual(refusal('validation', ['wageRangeDesired.max']));
    await expect(
      accepted(SetGoalRequestDto, {
        statement: 'Full-time work in logistics',
        wageRangeDesired: { min: 15, max: 15 },
      }),
    ).resolves.toMatchObject({ wageRangeDesired: { min: 15, max: 15 } });
  });

  it('R16: a return must say what information is requested', async () => {
    expect(await problemOf(ReturnSuspensionRequestDto, { requestedInformation: '' })).toEqual(
      refusal('validation', ['requestedInformation']),
    );
  });

  it('R21: a reversal needs its late contact and a justification', async () => {
    expect(
      await problemOf(ReverseSoftExitRequestDto, { contact: contactBody(), justification: ' ' }),
    ).toEqual(refusal('validation', ['justification']));
    expect(
      (await problemOf(ReverseSoftExitRequestDto, { justification: 'Entered late by mistake.' }))
        .errors,
    ).toEqual([expect.objectContaining({ field: 'contact' })]);
  });

  it('R22: a void needs a reason', async () => {
    expect(await problemOf(VoidContactRequestDto, { reason: '' })).toEqual(
      refusal('validation', ['reason']),
    );
  });

  it('R4: a blank progress note still reaches the domain (an attempt needs only a short note)', async () => {
    await expect(
      accepted(
        RecordContactRequestDto,
        contactBody({ method: 'TELEPHONE', outcome: 'NO_ANSWER', progress: ' ' }),
      ),
    ).resolves.toMatchObject({ progress: ' ' });
  });
});
