import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';

import { IsInstant } from '../../common/instant.js';
import { CASE_STATES, type CaseState } from '../../workflow/case-machine.js';
import { type Outcome, OUTCOMES } from '../../workflow/case-types.js';
import { CASE_SORTS, type CaseSort } from '../case-filter.js';

const range = (column: string, end: 'from' | 'to') =>
  end === 'from'
    ? `${column} at or after this instant (a date means 00:00 UTC)`
    : `${column} before this instant (exclusive: openedTo=2026-02-01 ends with January)`;

/** The filters of `GET /cases`, shared with `GET /reports/cases.csv` (which has no paging). */
export class CaseFilterQuery {
  @ApiPropertyOptional({ enum: CASE_STATES, enumName: 'CaseState' })
  @IsOptional()
  @IsIn(CASE_STATES)
  state?: CaseState;

  @ApiPropertyOptional({ enum: OUTCOMES, enumName: 'Outcome' })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: Outcome;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  subjectId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'this unit and its sub-units, within your own scope (never wider)' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: 'project-approval', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;

  @ApiPropertyOptional({ description: 'true: has an open deadline past due now; false: has none' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : (value as unknown)))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    description: 'part of the title or description, case-insensitive (Chinese included)',
    minLength: 1,
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ description: range('opened (createdAt)', 'from'), example: '2026-01-01' })
  @IsOptional()
  @IsInstant()
  openedFrom?: string;

  @ApiPropertyOptional({ description: range('opened (createdAt)', 'to'), example: '2026-02-01' })
  @IsOptional()
  @IsInstant()
  openedTo?: string;

  @ApiPropertyOptional({ description: range('decided (decidedAt)', 'from') })
  @IsOptional()
  @IsInstant()
  decidedFrom?: string;

  @ApiPropertyOptional({ description: range('decided (decidedAt)', 'to') })
  @IsOptional()
  @IsInstant()
  decidedTo?: string;

  @ApiPropertyOptional({ description: range('the conduct (occurredAt)', 'from') })
  @IsOptional()
  @IsInstant()
  occurredFrom?: string;

  @ApiPropertyOptional({ description: range('the conduct (occurredAt)', 'to') })
  @IsOptional()
  @IsInstant()
  occurredTo?: string;

  @ApiPropertyOptional({
    enum: CASE_SORTS,
    default: '-createdAt',
    description: '`-` for descending; ties by id; cases without the value last',
  })
  @IsOptional()
  @IsIn(CASE_SORTS)
  sort?: CaseSort;
}
