import { Module } from '@nestjs/common';
import { CohortsHttpController } from './cohorts.http.controller';
import { ExitsHttpController } from './exits.http.controller';
import { ReportsService } from './reports.service';
import { WhatIfHttpController } from './what-if.http.controller';

/**
 * Reports computed from the log, never from read models (DESIGN.md
 * "Additions": the exit report pinned to a position and a digest, the policy
 * what-if, saved cohorts).
 */
@Module({
  controllers: [ExitsHttpController, WhatIfHttpController, CohortsHttpController],
  providers: [ReportsService],
})
export class ReportsModule {}
