import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ApproveSuspensionHandler } from './approve-suspension/approve-suspension.handler';
import { ApproveSuspensionHttpController } from './approve-suspension/approve-suspension.http.controller';
import { EndEnrollmentHandler } from './end-enrollment/end-enrollment.handler';
import { EndEnrollmentHttpController } from './end-enrollment/end-enrollment.http.controller';
import { EnrollInActivityHandler } from './enroll-in-activity/enroll-in-activity.handler';
import { EnrollInActivityHttpController } from './enroll-in-activity/enroll-in-activity.http.controller';
import { GetCaseHistoryHttpController } from './get-case-history/get-case-history.http.controller';
import { GetCaseHttpController } from './get-case/get-case.http.controller';
import { IdentifyBarrierHandler } from './identify-barrier/identify-barrier.handler';
import { IdentifyBarrierHttpController } from './identify-barrier/identify-barrier.http.controller';
import { OpenCaseClaims } from './open-case/open-case-claims';
import { OpenCaseHandler } from './open-case/open-case.handler';
import { OpenCaseHttpController } from './open-case/open-case.http.controller';
import { OvercomeBarrierHandler } from './overcome-barrier/overcome-barrier.handler';
import { OvercomeBarrierHttpController } from './overcome-barrier/overcome-barrier.http.controller';
import { RecordAssessmentHandler } from './record-assessment/record-assessment.handler';
import { RecordAssessmentHttpController } from './record-assessment/record-assessment.http.controller';
import { RecordContactHandler } from './record-contact/record-contact.handler';
import { RecordContactHttpController } from './record-contact/record-contact.http.controller';
import { RecordEmploymentHandler } from './record-employment/record-employment.handler';
import { RecordEmploymentHttpController } from './record-employment/record-employment.http.controller';
import { ResolveGoalHandler } from './resolve-goal/resolve-goal.handler';
import { ResolveGoalHttpController } from './resolve-goal/resolve-goal.http.controller';
import { ReturnSuspensionHandler } from './return-suspension/return-suspension.handler';
import { ReturnSuspensionHttpController } from './return-suspension/return-suspension.http.controller';
import { SchedulePlannedGapHandler } from './schedule-planned-gap/schedule-planned-gap.handler';
import { SchedulePlannedGapHttpController } from './schedule-planned-gap/schedule-planned-gap.http.controller';
import { SetGoalHandler } from './set-goal/set-goal.handler';
import { SetGoalHttpController } from './set-goal/set-goal.http.controller';
import { CaseReader } from './shared/case-reader';
import { SuspendCaseHandler } from './suspend-case/suspend-case.handler';
import { SuspendCaseHttpController } from './suspend-case/suspend-case.http.controller';
import { TransferCaseHandler } from './transfer-case/transfer-case.handler';
import { TransferCaseHttpController } from './transfer-case/transfer-case.http.controller';
import { VerifyCaseHttpController } from './verify-case/verify-case.http.controller';
import { VoidContactHandler } from './void-contact/void-contact.handler';
import { VoidContactHttpController } from './void-contact/void-contact.http.controller';
import { CorrectEntryHandler } from './correct-entry/correct-entry.handler';
import { CorrectEntryHttpController } from './correct-entry/correct-entry.http.controller';
import { EndPlannedGapHandler } from './end-planned-gap/end-planned-gap.handler';
import { EndPlannedGapHttpController } from './end-planned-gap/end-planned-gap.http.controller';
import { CorrectCustomerDetailsHandler } from './correct-customer-details/correct-customer-details.handler';
import { CorrectCustomerDetailsHttpController } from './correct-customer-details/correct-customer-details.http.controller';
import { ReverseSoftExitHandler } from './reverse-soft-exit/reverse-soft-exit.handler';
import { ReverseSoftExitHttpController } from './reverse-soft-exit/reverse-soft-exit.http.controller';

/**
 * The case use cases (a folder each). The CommandBus is in-process dispatch
 * only: projections and deadlines read the store, never this bus.
 */
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [
    OpenCaseHttpController,
    EnrollInActivityHttpController,
    EndEnrollmentHttpController,
    RecordContactHttpController,
    IdentifyBarrierHttpController,
    OvercomeBarrierHttpController,
    SchedulePlannedGapHttpController,
    SetGoalHttpController,
    ResolveGoalHttpController,
    RecordAssessmentHttpController,
    RecordEmploymentHttpController,
    TransferCaseHttpController,
    SuspendCaseHttpController,
    ApproveSuspensionHttpController,
    ReturnSuspensionHttpController,
    VoidContactHttpController,
    CorrectEntryHttpController,
    EndPlannedGapHttpController,
    CorrectCustomerDetailsHttpController,
    ReverseSoftExitHttpController,
    GetCaseHttpController,
    GetCaseHistoryHttpController,
    VerifyCaseHttpController,
  ],
  providers: [
    CaseReader,
    OpenCaseClaims,
    OpenCaseHandler,
    EnrollInActivityHandler,
    EndEnrollmentHandler,
    RecordContactHandler,
    IdentifyBarrierHandler,
    OvercomeBarrierHandler,
    SchedulePlannedGapHandler,
    SetGoalHandler,
    ResolveGoalHandler,
    RecordAssessmentHandler,
    RecordEmploymentHandler,
    TransferCaseHandler,
    SuspendCaseHandler,
    ApproveSuspensionHandler,
    ReturnSuspensionHandler,
    VoidContactHandler,
    CorrectEntryHandler,
    EndPlannedGapHandler,
    CorrectCustomerDetailsHandler,
    ReverseSoftExitHandler,
  ],
})
export class CasesModule {}
