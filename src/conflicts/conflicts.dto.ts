import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class DeclareConflictDto {
  @ApiProperty({ format: 'uuid', description: 'the user who must stay out (yourself, unless you are an admin)' })
  @IsUUID()
  userId: string;

  @ApiProperty({ format: 'uuid', description: 'the cadre whose cases they must stay out of' })
  @IsUUID()
  subjectId: string;

  @ApiProperty({ example: 'spouse’s brother', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}
