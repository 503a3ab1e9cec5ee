import { ApiProperty } from '@nestjs/swagger';
import { GOAL_RESOLUTIONS, type GoalResolution } from '@caseledger/domain';
import { IsIn } from 'class-validator';

export class ResolveGoalRequestDto {
  @ApiProperty({ enum: GOAL_RESOLUTIONS }) @IsIn(GOAL_RESOLUTIONS) status!: GoalResolution;
}
