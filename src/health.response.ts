import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'HealthCalendar', description: 'How far the official holiday calendar reaches' })
export class HealthCalendarResponse {
  @ApiProperty({ format: 'date', example: '2026-12-31', description: 'the last day the holiday calendar decides' })
  coveredThrough: string;

  @ApiProperty({ description: 'whether the calendar covers the next 12 months' })
  ok: boolean;
}

@ApiSchema({ name: 'Health' })
export class HealthResponse {
  @ApiProperty({ enum: ['ok'], description: 'the process answers; the warnings do not change it' })
  status: 'ok';

  @ApiProperty({ type: HealthCalendarResponse })
  calendar: HealthCalendarResponse;

  @ApiProperty({ type: [String], description: 'conditions an operator should act on soon, e.g. a calendar to refresh' })
  warnings: string[];
}
