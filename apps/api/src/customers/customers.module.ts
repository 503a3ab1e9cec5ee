import { Module } from '@nestjs/common';
import {
  APP_CONFIG,
  CLOCK,
  CaseCommandExecutor,
  CustomerDisposal,
  EVENT_STORE,
  POLICY_BOOK,
  type AppConfig,
  type Clock,
  type PolicyLookup,
} from '@caseledger/platform';
import type { EventStore } from '@caseledger/event-store';
import { DisposeCustomerHttpController } from './dispose-customer/dispose-customer.http.controller';

/** Records retention: disposal of a customer's personal data (README "Records retention"). */
@Module({
  controllers: [DisposeCustomerHttpController],
  providers: [
    {
      provide: CustomerDisposal,
      useFactory: (
        store: EventStore,
        executor: CaseCommandExecutor,
        policyOf: PolicyLookup,
        clock: Clock,
        config: AppConfig,
      ) =>
        new CustomerDisposal(store, executor, policyOf, clock, config.personalData.retentionDays),
      inject: [EVENT_STORE, CaseCommandExecutor, POLICY_BOOK, CLOCK, APP_CONFIG],
    },
  ],
})
export class CustomersModule {}
