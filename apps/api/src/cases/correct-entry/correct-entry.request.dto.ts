import { ApiProperty } from '@nestjs/swagger';
import { CORRECTABLE_ENTITIES, type CorrectableEntity } from '@caseledger/domain';
import { IsIn, IsObject, IsString, Matches, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';
import { ID_MESSAGE, ID_PATTERN } from '../../common/http/business-date.validator';

export class CorrectEntryRequestDto {
  @ApiProperty({ enum: CORRECTABLE_ENTITIES })
  @IsIn(CORRECTABLE_ENTITIES)
  entity!: CorrectableEntity;

  @ApiProperty({ description: 'The id of the enrollment, gap, goal, assessment or barrier' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'R22: the fields to correct. ENROLLMENT: activityName, providerName; GAP: reason, note; GOAL: statement, wageRangeDesired; ASSESSMENT: instrument, score, summary; BARRIER: category, description, plan. Dates that move a clock have their own routes (void, gap end).',
  })
  @IsObject()
  fields!: Record<string, unknown>;

  @ApiProperty({ description: 'R22: why the entry is corrected' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  reason!: string;
}
