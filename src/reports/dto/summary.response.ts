import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { type Intent, INTENTS, type Motive, MOTIVES, type Nature, NATURES, type Outcome } from '../../workflow/case-types.js';
import type { DeadlineKind } from '../../workflow/deadline-plan.js';
import type { SummaryReport } from '../reports.service.js';
import type { OPEN_STATES } from '../summary.js';

/*
 * The leadership report's schema (领导统计). SummaryReportResponse implements SummaryReport, the type
 * summary.ts computes, so the two cannot drift apart silently.
 */

type Figures = SummaryReport;
const INT = { type: 'integer' } as const;
const RATE = { type: Number, nullable: true, description: 'a share from 0 to 1; null when nothing to divide by' } as const;

@ApiSchema({ name: 'OutcomeCounts' })
export class OutcomeCountsResponse implements Record<Outcome, number> {
  @ApiProperty(INT) tolerate: number;
  @ApiProperty(INT) correct: number;
  @ApiProperty(INT) 'hold-accountable': number;
}

@ApiSchema({ name: 'Tally' })
class TallyResponse {
  @ApiProperty({ ...INT, description: 'cases opened in the period' }) cases: number;
  @ApiProperty({ ...INT, description: 'of which decided' }) decided: number;
  @ApiProperty({ type: OutcomeCountsResponse, description: 'decided cases by outcome in force' }) byOutcome: OutcomeCountsResponse;
}

@ApiSchema({ name: 'PatternTally' })
export class PatternTallyResponse extends TallyResponse {
  @ApiProperty({ enum: INTENTS, enumName: 'Intent' }) intent: Intent;
  @ApiProperty({ enum: MOTIVES, enumName: 'Motive' }) motive: Motive;
  @ApiProperty({ enum: NATURES, enumName: 'Nature' }) nature: Nature;
}

@ApiSchema({ name: 'CategoryTally' })
export class CategoryTallyResponse extends TallyResponse {
  @ApiProperty() category: string;
}

@ApiSchema({ name: 'UnitTally' })
export class UnitTallyResponse extends TallyResponse {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
}

@ApiSchema({ name: 'OverrideFigures' })
export class OverrideFiguresResponse implements Readonly<Figures['overrides']> {
  @ApiProperty(INT) decided: number;
  @ApiProperty(INT) overridden: number;
  @ApiProperty(RATE) rate: number | null;
  @ApiProperty(INT) finalDiffersFromRecommendation: number;
  @ApiProperty(RATE) finalDiffersRate: number | null;
}

@ApiSchema({ name: 'AppealFigures' })
export class AppealFiguresResponse implements Readonly<Figures['appeals']> {
  @ApiProperty(INT) decided: number;
  @ApiProperty(INT) appealed: number;
  @ApiProperty(RATE) rate: number | null;
  @ApiProperty(INT) ruled: number;
  @ApiProperty(INT) revised: number;
  @ApiProperty(RATE) revisionRate: number | null;
}

@ApiSchema({ name: 'DaysToDecision' })
export class DaysToDecisionResponse implements Readonly<Figures['daysToDecision']> {
  @ApiProperty(INT) cases: number;
  @ApiProperty({ type: Number, nullable: true }) median: number | null;
  @ApiProperty({ type: Number, nullable: true }) p90: number | null;
}

@ApiSchema({ name: 'OpenByState' })
export class OpenByStateResponse implements Record<(typeof OPEN_STATES)[number], number> {
  @ApiProperty(INT) awaitingExplanation: number;
  @ApiProperty(INT) underAssessment: number;
  @ApiProperty(INT) pendingReview: number;
  @ApiProperty(INT) decided: number;
  @ApiProperty(INT) appealReview: number;
  @ApiProperty(INT) correcting: number;
}

@ApiSchema({ name: 'OpenFigures' })
export class OpenFiguresResponse {
  @ApiProperty(INT) total: number;
  @ApiProperty({ type: OpenByStateResponse }) byState: OpenByStateResponse;
}

@ApiSchema({ name: 'OverdueByKind' })
export class OverdueByKindResponse implements Record<DeadlineKind, number> {
  @ApiProperty(INT) explanation: number;
  @ApiProperty(INT) review: number;
  @ApiProperty(INT) appealWindow: number;
  @ApiProperty(INT) appealReview: number;
  @ApiProperty(INT) correction: number;
}

@ApiSchema({ name: 'OverdueFigures' })
export class OverdueFiguresResponse {
  @ApiProperty({ ...INT, description: 'cases with an open deadline past due' }) cases: number;
  @ApiProperty(INT) deadlines: number;
  @ApiProperty({ type: OverdueByKindResponse }) byKind: OverdueByKindResponse;
}

@ApiSchema({ name: 'ReportPeriod' })
export class ReportPeriodResponse {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) from: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) to: string | null;
  @ApiProperty({ enum: ['createdAt'], description: 'the instant the period bounds' }) on: 'createdAt';
}

@ApiSchema({ name: 'SummaryReport' })
export class SummaryReportResponse implements SummaryReport {
  @ApiProperty({ type: ReportPeriodResponse }) period: ReportPeriodResponse;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) unitId: string | null;
  @ApiProperty({ format: 'date-time', description: 'now: the instant of the open and overdue figures' }) at: string;
  @ApiProperty(INT) cases: number;
  @ApiProperty(INT) decided: number;
  @ApiProperty({ type: OutcomeCountsResponse }) byOutcome: OutcomeCountsResponse;
  @ApiProperty({ type: [PatternTallyResponse], description: 'all eight patterns of the three distinctions, always in one order' })
  byPattern: PatternTallyResponse[];
  @ApiProperty({ type: [CategoryTallyResponse], description: 'biggest first' }) byCategory: CategoryTallyResponse[];
  @ApiProperty({ type: [UnitTallyResponse], description: 'biggest first' }) byUnit: UnitTallyResponse[];
  @ApiProperty({ type: OverrideFiguresResponse }) overrides: OverrideFiguresResponse;
  @ApiProperty({ type: AppealFiguresResponse }) appeals: AppealFiguresResponse;
  @ApiProperty({ type: DaysToDecisionResponse }) daysToDecision: DaysToDecisionResponse;
  @ApiProperty({ type: OpenFiguresResponse }) open: OpenFiguresResponse;
  @ApiProperty({ type: OverdueFiguresResponse }) overdue: OverdueFiguresResponse;
}
