import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

import { type Role, ROLES } from '../workflow/case-types.js';

export class CreateUnitDto {
  @ApiProperty({ example: 'County Discipline Inspection Commission' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'zhang.wei' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{3,100}$/, { message: 'username must be 3-100 letters, digits, dots, dashes or underscores' })
  username: string;

  @ApiProperty({ minLength: 12, description: 'at least 12 characters, not common, not derived from the username (422 otherwise)' })
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: '张伟' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  unitId: string;
}

/** PATCH /users/:id: any of these; roles, unit and `disabled` end the account's sessions. */
export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, enumName: 'Role', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ description: 'a disabled account cannot log in and its tokens stop working at once' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
