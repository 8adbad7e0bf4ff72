import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const ALLOWED_ACTIONS_INCLUDES = ['refusal'] as const;

/**
 * `include=refusal` adds each entry's `refusal` kind. Opt-in because the entries' shape without it is held
 * by existing clients comparing whole entries (docs/api.md, "Refusals").
 */
export class AllowedActionsQuery {
  @ApiPropertyOptional({
    enum: ALLOWED_ACTIONS_INCLUDES,
    description: '`refusal`: each entry also says which kind of refusal it is (null when allowed)',
  })
  @IsOptional()
  @IsIn(ALLOWED_ACTIONS_INCLUDES)
  include?: (typeof ALLOWED_ACTIONS_INCLUDES)[number];
}
